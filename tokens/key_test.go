package tokens_test

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/tokens"
)

// secret32 is a valid secret whose encodings differ across base64
// alphabets (it holds 0xfb 0xff bytes, which encode to '+', '/', '-', '_').
var secret32 = bytes.Repeat([]byte{0xfb, 0xff, 0x01, 0x7e}, 8)

func TestParseKeyAccepts(t *testing.T) {
	for _, enc := range []*base64.Encoding{
		base64.StdEncoding, base64.RawStdEncoding,
		base64.URLEncoding, base64.RawURLEncoding,
	} {
		k, err := tokens.ParseKey("k2026:" + enc.EncodeToString(secret32))
		require.NoError(t, err)
		require.Equal(t, "k2026", k.ID)
		require.Equal(t, secret32, k.Secret)
	}
	k, err := tokens.ParseKey(" a:" + b64(secret32) + "\n")
	require.NoError(t, err)
	require.Equal(t, "a", k.ID)
}

func TestParseKeyRejects(t *testing.T) {
	good := b64(secret32)
	long := b64(bytes.Repeat([]byte{0xfb}, 31))
	tests := []struct {
		name, spec, reason string
	}{
		{"empty", "", "id:base64secret"},
		{"no colon", good, "id:base64secret"},
		{"empty id", ":" + good, "id must be"},
		{"upper id", "K1:" + good, "id must be"},
		{"long id", strings.Repeat("a", 17) + ":" + good, "id must be"},
		{"dash id", "k-1:" + good, "id must be"},
		{"short secret", "k1:" + long, "31 bytes"},
		{"empty secret", "k1:", "0 bytes"},
		{"bad base64", "k1:" + good[:20] + "!" + good[21:], "not base64"},
		{"mixed padding", "k1:" + good + "==", "not base64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tokens.ParseKey(tt.spec)
			require.ErrorIs(t, err, tokens.ErrBadKey)
			require.ErrorContains(t, err, tt.reason)
			require.True(t,
				strings.HasPrefix(err.Error(), "tokens: bad key: "))
			_, secret, _ := strings.Cut(tt.spec, ":")
			if len(secret) > 8 {
				require.NotContains(t, err.Error(), secret[:8])
			}
		})
	}
}

func TestParseKeys(t *testing.T) {
	a, b := b64(secret32), b64(bytes.Repeat([]byte{7}, 40))

	keys, err := tokens.ParseKeys([]string{"new:" + b, "old:" + a})
	require.NoError(t, err)
	require.Len(t, keys, 2)
	require.Equal(t, "new", keys[0].ID)
	_, err = tokens.NewKeyring(keys...)
	require.NoError(t, err)

	tests := []struct {
		name  string
		specs []string
		is    error
		want  string
	}{
		{"nil", nil, tokens.ErrNoKey, "empty"},
		{"empty", []string{}, tokens.ErrNoKey, "empty"},
		{"dup", []string{"k:" + a, "k:" + b}, tokens.ErrBadKey, "duplicate"},
		{"bad second", []string{"k:" + a, "x:" + b[:10]}, tokens.ErrBadKey,
			"spec 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keys, err := tokens.ParseKeys(tt.specs)
			require.ErrorIs(t, err, tt.is)
			require.ErrorContains(t, err, tt.want)
			require.Nil(t, keys)
			require.NotContains(t, err.Error(), a[:8])
			require.NotContains(t, err.Error(), b[:8])
		})
	}
}

func TestNewKeyringRejects(t *testing.T) {
	tests := []struct {
		name string
		keys []tokens.Key
		is   error
		want string
	}{
		{"none", nil, tokens.ErrNoKey, "no key"},
		{"short secret", []tokens.Key{{ID: "k", Secret: secret32[:31]}},
			tokens.ErrBadKey, "31 bytes"},
		{"bad id", []tokens.Key{{ID: "K!", Secret: secret32}},
			tokens.ErrBadKey, "id must be"},
		{"empty id", []tokens.Key{{Secret: secret32}},
			tokens.ErrBadKey, "id must be"},
		{"dup", []tokens.Key{testKey("k", 1), testKey("k", 2)},
			tokens.ErrBadKey, "duplicate id \"k\""},
		{"bad second", []tokens.Key{testKey("k", 1), {ID: "j"}},
			tokens.ErrBadKey, "key 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ring, err := tokens.NewKeyring(tt.keys...)
			require.ErrorIs(t, err, tt.is)
			require.ErrorContains(t, err, tt.want)
			require.Nil(t, ring)
			require.NotContains(t, err.Error(), b64(secret32)[:8])
		})
	}
}

func TestNewKeyringCopiesSecrets(t *testing.T) {
	k := testKey("k", 1)
	ring := testRing(t, k)
	tok := newToken(t, ring, "u")
	before := ring.Hash(tok)
	k.Secret[0] = 2
	require.Equal(t, before, ring.Hash(tok))
	require.True(t, ring.Owns(tok, "u"))
}
