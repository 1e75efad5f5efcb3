package tokens_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/tokens"
)

// holder nests tokens where fmt cannot call their methods (unexported
// fields) as well as where it can. It has no unexported Key: Key's
// exported Secret field cannot be hidden there (see Key's doc).
type holder struct {
	Tok   tokens.Token
	Ptr   *tokens.Token
	Key   tokens.Key
	Ring  *tokens.Keyring
	inner tokens.Token
	ring  tokens.Keyring
	ptr   *tokens.Token
}

func TestTokenPrintingRedacts(t *testing.T) {
	ring := testRing(t, testKey("k1", 1))
	tok := newToken(t, ring, "u")
	secret := tok.Reveal()[4:] // the part after the public prefix

	tests := []struct {
		format string
		want   string
	}{
		{"%v", "sgt_[redacted]"},
		{"%s", "sgt_[redacted]"},
		{"%+v", "sgt_[redacted]"},
		{"%#v", "sgt_[redacted]"},
		{"%q", `"sgt_[redacted]"`},
		{"%x", "sgt_[redacted]"},
		{"%d", "sgt_[redacted]"},
		{"%16v|", "  sgt_[redacted]|"},
		{"%-16s|", "sgt_[redacted]  |"},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			require.Equal(t, tt.want, fmt.Sprintf(tt.format, tok))
			require.Equal(t, tt.want, fmt.Sprintf(tt.format, &tok))
		})
	}
	require.Equal(t, "sgt_[redacted]", tok.String())
	require.Equal(t, "sgt_[redacted]", tok.GoString())
	require.Equal(t, "sgt_[none]", tokens.Token{}.String())

	h := holder{Tok: tok, Ptr: &tok, inner: tok, Ring: ring, ring: *ring,
		ptr: &tok, Key: testKey("k1", 'S')}
	for _, f := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		out := fmt.Sprintf(f, h) + fmt.Sprintf(f, &h) +
			fmt.Sprint(tok, &tok, []tokens.Token{tok}) +
			fmt.Sprintf(f, map[string]any{"t": tok})
		require.NotContains(t, out, secret, "format %s", f)
		require.NotContains(t, out, "SSSS", "format %s", f)
		require.NotContains(t, out, "83 83 83", "format %s", f)
		require.NotContains(t, out, "5353", "format %s", f)
	}
}

func TestKeyringAndKeyPrintingRedact(t *testing.T) {
	key := testKey("k1", 'S') // secret is "SSSS...", easy to spot
	ring := testRing(t, key)
	for _, f := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		out := fmt.Sprintf(f, key) + fmt.Sprintf(f, &key) +
			fmt.Sprintf(f, ring) + fmt.Sprintf(f, *ring)
		require.NotContains(t, out, "SSSS", "format %s", f)
		require.NotContains(t, out, "83 83 83", "format %s", f)
		require.NotContains(t, out, "5353", "format %s", f)
		require.NotContains(t, out, "U1NT", "format %s", f) // base64
	}
	require.Equal(t, "k1:[redacted]", key.String())

	b, err := json.Marshal(holder{Key: key, Ring: ring})
	require.NoError(t, err)
	require.NotContains(t, string(b), "U1NT")
	require.Contains(t, string(b), `"Key":{"ID":"k1"}`)
}

func TestSlogRedacts(t *testing.T) {
	ring := testRing(t, testKey("k1", 'S'))
	tok := newToken(t, ring, "u")
	secret := tok.Reveal()[4:]

	var buf bytes.Buffer
	for _, h := range []slog.Handler{
		slog.NewJSONHandler(&buf, nil),
		slog.NewTextHandler(&buf, nil),
	} {
		slog.New(h).Info("login",
			"tok", tok, "ptr", &tok, "holder", holder{Tok: tok, inner: tok},
			slog.Any("any", tok), "key", testKey("k1", 'S'), "ring", ring)
	}
	out := buf.String()
	require.Contains(t, out, `"tok":"sgt_[redacted]"`)
	require.Contains(t, out, "tok=sgt_[redacted]")
	require.NotContains(t, out, secret)
	require.NotContains(t, out, "U1NT")
	require.NotContains(t, out, "SSSS")
}

func TestJSONRedacts(t *testing.T) {
	tok := newToken(t, tokens.RandomKeyring(), "u")
	b, err := json.Marshal(holder{Tok: tok, Ptr: &tok, inner: tok})
	require.NoError(t, err)
	require.NotContains(t, string(b), tok.Reveal()[4:])
	require.True(t, strings.HasPrefix(string(b),
		`{"Tok":"sgt_[redacted]","Ptr":"sgt_[redacted]"`))

	b, err = json.Marshal(tokens.Token{})
	require.NoError(t, err)
	require.Equal(t, `"sgt_[none]"`, string(b))

	text, err := tok.MarshalText()
	require.NoError(t, err)
	require.Equal(t, "sgt_[redacted]", string(text))
}
