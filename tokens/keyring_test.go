package tokens_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/tokens"
)

func TestOwns(t *testing.T) {
	old := testRing(t, testKey("old", 1))
	tok := newToken(t, old, "alice")

	require.True(t, old.Owns(tok, "alice"))
	require.False(t, old.Owns(tok, "bob"))
	require.False(t, old.Owns(tok, "alice\x00"))

	rotated := testRing(t, testKey("new", 2), testKey("old", 1))
	require.True(t, rotated.Owns(tok, "alice"))
	require.False(t, rotated.Owns(tok, "bob"))

	dropped := testRing(t, testKey("new", 2))
	require.False(t, dropped.Owns(tok, "alice"))

	fresh := newToken(t, rotated, "alice")
	require.True(t, dropped.Owns(fresh, "alice"), "made with current key")
}

func TestHash(t *testing.T) {
	k1, k2 := testRing(t, testKey("k1", 1)), testRing(t, testKey("k2", 2))
	tok := newToken(t, k1, "u")
	h := k1.Hash(tok)

	require.Equal(t, h, k1.Hash(tok), "deterministic")
	back, err := tokens.Parse(tok.Reveal())
	require.NoError(t, err)
	require.Equal(t, h, k1.Hash(back), "same for a parsed copy")
	require.Regexp(t, regexp.MustCompile(`^k1:[0-9a-f]{64}$`), h)
	require.NotEqual(t, h[3:], k2.Hash(tok)[3:], "differs across keys")
	require.NotEqual(t, h, k1.Hash(newToken(t, k1, "u")))
	require.False(t, strings.Contains(h, tok.Reveal()[4:20]))

	same := testRing(t, testKey("k3", 1))
	require.Equal(t, h[3:], same.Hash(tok)[3:],
		"HMAC part depends only on the secret")
}

func TestHashes(t *testing.T) {
	k1, k2 := testKey("k1", 1), testKey("k2", 2)
	ring := testRing(t, k2, k1)
	tok := newToken(t, testRing(t, k1), "u")

	got := ring.Hashes(tok)
	require.Equal(t, []string{
		testRing(t, k2).Hash(tok),
		testRing(t, k1).Hash(tok),
	}, got)
	require.Equal(t, ring.Hash(tok), got[0], "current first")
	require.Equal(t, "k2", ring.CurrentID())
}

func TestFingerprint(t *testing.T) {
	ring := testRing(t, testKey("k1", 1))
	tok := newToken(t, ring, "u")
	h := ring.Hash(tok)
	fp := tokens.Fingerprint(h)
	require.Equal(t, h[:3+16], fp)
	require.Equal(t, fp, ring.Fingerprint(tok))
	require.NotContains(t, fp, tok.Reveal()[4:12])

	hexPart := h[3:]
	for _, bad := range []string{
		"", "k1", "k1:", ":" + hexPart, "K1:" + hexPart,
		"k1:" + hexPart[:63], "k1:" + hexPart + "0",
		"k1:" + strings.ToUpper(hexPart), tok.Reveal(),
		"k1:" + hexPart[:10] + "g" + hexPart[11:],
	} {
		require.Equal(t, "", tokens.Fingerprint(bad), "input %q", bad)
	}
}

func TestRandomKeyring(t *testing.T) {
	a, b := tokens.RandomKeyring(), tokens.RandomKeyring()
	require.Equal(t, "ephemeral", a.CurrentID())
	tok := newToken(t, a, "u")
	require.True(t, a.Owns(tok, "u"))
	require.NotEqual(t, a.Hash(tok), b.Hash(tok))
	require.True(t, strings.HasPrefix(a.Hash(tok), "ephemeral:"))
}

func TestNilKeyring(t *testing.T) {
	var ring *tokens.Keyring
	_, err := ring.New("u")
	require.ErrorIs(t, err, tokens.ErrNoKey)
	require.Equal(t, "", ring.CurrentID())

	_, err = new(tokens.Keyring).New("u")
	require.ErrorIs(t, err, tokens.ErrNoKey)

	tok := newToken(t, tokens.RandomKeyring(), "u")
	require.False(t, ring.Owns(tok, "u"))
	require.Equal(t, "", ring.Hash(tok))
	require.Nil(t, ring.Hashes(tok))
}

func TestKeyringConcurrent(t *testing.T) {
	ring := tokens.RandomKeyring()
	done := make(chan struct{})
	for range 8 {
		go func() {
			defer func() { done <- struct{}{} }()
			for range 100 {
				tok, err := ring.New("u")
				if err != nil || !ring.Owns(tok, "u") || ring.Hash(tok) == "" {
					t.Error("concurrent use failed")
				}
			}
		}()
	}
	for range 8 {
		<-done
	}
}

func TestGenuine(t *testing.T) {
	old := testRing(t, testKey("old", 1))
	tok := newToken(t, old, "alice")
	require.True(t, old.Genuine(tok))
	require.False(t, old.Genuine(tokens.Token{}))

	forger := testRing(t, testKey("old", 9))
	forged := newToken(t, forger, "alice")
	require.False(t, old.Genuine(forged), "made under another secret")

	rotated := testRing(t, testKey("new", 2), testKey("old", 1))
	require.True(t, rotated.Genuine(tok), "old keys still verify")
	require.True(t, rotated.Genuine(newToken(t, rotated, "bob")))
	require.False(t, testRing(t, testKey("new", 2)).Genuine(tok))
}
