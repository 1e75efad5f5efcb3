package tokens_test

import (
	"bytes"
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/tokens"
)

// testKey returns a valid key whose secret is 32 copies of fill.
func testKey(id string, fill byte) tokens.Key {
	return tokens.Key{ID: id, Secret: bytes.Repeat([]byte{fill}, 32)}
}

// testRing returns a keyring of keys, failing the test on error.
func testRing(t testing.TB, keys ...tokens.Key) *tokens.Keyring {
	t.Helper()
	ring, err := tokens.NewKeyring(keys...)
	require.NoError(t, err)
	return ring
}

// newToken returns a fresh token from ring, failing the test on error.
func newToken(t testing.TB, ring *tokens.Keyring, owner string) tokens.Token {
	t.Helper()
	tok, err := ring.New(owner)
	require.NoError(t, err)
	return tok
}

// b64 encodes b in standard padded base64.
func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
