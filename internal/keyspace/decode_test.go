package keyspace_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/keyspace"
)

func TestDecodeRoundTrip(t *testing.T) {
	ids := []string{"", "plain", "a:b", "{tag}", "line\nbreak", "100%",
		"üñí", "sp ace", "-._~", "\x00\xff", strings.Repeat("x:", 5000)}
	for _, id := range ids {
		got, err := keyspace.Decode(keyspace.Encode(id))
		require.NoError(t, err, "%q", id)
		require.Equal(t, id, got)
	}
}

func TestDecodeRejects(t *testing.T) {
	for _, s := range []string{"%", "%4", "%zz", "%4a", "%41", "a:b",
		"{", "a b", "%G0"} {
		_, err := keyspace.Decode(s)
		require.ErrorIs(t, err, keyspace.ErrMalformed, "%q", s)
	}
}
