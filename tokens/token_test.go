package tokens_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/tokens"
)

func TestNewEntropyAndRoundTrip(t *testing.T) {
	ring := testRing(t, testKey("k1", 1))
	seen := make(map[string]bool)
	want := -1
	for range 1000 {
		tok := newToken(t, ring, "user")
		text := tok.Reveal()
		require.False(t, seen[text], "duplicate token")
		seen[text] = true
		if want < 0 {
			want = len(text)
		}
		require.Len(t, text, want)
		require.True(t, strings.HasPrefix(text, "sgt_"))

		back, err := tokens.Parse(text)
		require.NoError(t, err)
		require.True(t, back.Equal(tok))
		require.Equal(t, text, back.Reveal())
		require.True(t, ring.Owns(back, "user"))
	}
	require.Equal(t, 55, want)
}

func TestParseRejects(t *testing.T) {
	ring := testRing(t, testKey("k1", 1))
	tok := newToken(t, ring, "user")
	text := tok.Reveal()

	tests := []struct {
		name   string
		input  string
		reason string
	}{
		{"empty", "", "empty"},
		{"wrong prefix", "sgx_" + text[4:], "prefix"},
		{"no prefix", text[4:], "prefix"},
		{"too short", text[:len(text)-1], "length"},
		{"too long", text + "0", "length"},
		{"bad char", text[:20] + "-" + text[21:], "invalid character"},
		{"changed char", text[:20] + flip(text[20]) + text[21:], "checksum"},
		{"changed checksum", text[:54] + flip(text[54]), "checksum"},
		{"stored hash", ring.Hash(tok), "prefix"},
		{"trailing space", text + " ", "length"},
		{"trailing newline", text + "\n", "length"},
		{"leading space", " " + text, "prefix"},
		{"body overflow", "sgt_" + strings.Repeat("z", 51), "range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tokens.Parse(tt.input)
			require.Error(t, err)
			require.True(t, errors.Is(err, tokens.ErrMalformed))
			require.True(t, got.IsZero())
			require.Contains(t, err.Error(), tt.reason)
			require.True(t,
				strings.HasPrefix(err.Error(), "tokens: malformed token: "))
			if tt.input != "" {
				require.NotContains(t, err.Error(), tt.input)
				require.NotContains(t, err.Error(), text[4:20])
			}
		})
	}
}

// flip returns a base62 digit other than c.
func flip(c byte) string {
	if c == 'a' {
		return "b"
	}
	return "a"
}

func TestZeroToken(t *testing.T) {
	var tok tokens.Token
	require.True(t, tok.IsZero())
	require.Equal(t, "", tok.Reveal())
	require.True(t, tok.Equal(tokens.Token{}))

	ring := testRing(t, testKey("k1", 1))
	require.Equal(t, "", ring.Hash(tok))
	require.Nil(t, ring.Hashes(tok))
	require.False(t, ring.Owns(tok, ""))
	require.Equal(t, "", ring.Fingerprint(tok))
}

func TestEqual(t *testing.T) {
	ring := testRing(t, testKey("k1", 1))
	a, b := newToken(t, ring, "u"), newToken(t, ring, "u")
	require.True(t, a.Equal(a))
	require.False(t, a.Equal(b))
	require.False(t, a.Equal(tokens.Token{}))
}
