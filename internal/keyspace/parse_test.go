package keyspace_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/keyspace"
)

var awkwardIDs = []string{
	"plain", "a:b", "{tag}", "}", "{", "line\nbreak", "ünïcødé", "%41",
	"sp ace", "a%", "~-._", strings.Repeat("x{y}", 2500),
}

func TestParseKeyUserKeys(t *testing.T) {
	for _, app := range awkwardIDs[:6] {
		u := keyspace.ForUser("sg", app, "u:{1}")
		for name, key := range map[string]string{
			"sessions": u.Sessions(), "idx": u.Index(), "exp": u.Expiry(),
			"used": u.Used(), "tokens": u.Tokens(), "state": u.State(),
		} {
			k, ok := keyspace.ParseKey("sg", key)
			require.True(t, ok, key)
			require.Equal(t, u, k.User)
			require.Equal(t, app, k.App)
			require.Equal(t, "u:{1}", k.UserID)
			require.Equal(t, name, k.Name)
			require.False(t, k.IsSessionKey())
		}
	}
}

func TestParseKeySessionKeys(t *testing.T) {
	u := keyspace.ForUser("sg", "app", "user")
	for _, id := range awkwardIDs {
		s := u.Session(id)
		for i, key := range s.All() {
			k, ok := keyspace.ParseKey("sg", key)
			require.True(t, ok, key)
			require.Equal(t, u, k.User)
			require.Equal(t, id, k.SessionID)
			require.Equal(t, []string{"state", "ev", "ts", "ids"}[i], k.Name)
			require.True(t, k.IsSessionKey())
			require.Equal(t, s, k.User.Session(k.SessionID))
		}
	}
}

func TestParseKeyRejects(t *testing.T) {
	for _, key := range []string{
		"sg:{u:app:user}",                // no name
		"sg:{u:app:user}:other",          // unknown name
		"sg:{u:app:user}sessions",        // no colon after the tag
		"sg:{u:app:user}:s:x:other",      // unknown session key
		"sg:{u:app:user}:s::ev",          // empty session id
		"sg:{u:app:user}:s:x",            // no session key name
		"sg:{u:app:user}:s:%41:ev",       // non-canonical session id
		"sg:{u:app:user}:s:a:b:ev",       // session id with a colon
		"sg:{u:app}:sessions",            // no user in the tag
		"sg:{u::user}:sessions",          // empty app
		"sg:{u:app:}:sessions",           // empty user
		"sg:{u:a:b:c}:sessions",          // three parts in the tag
		"sg:{u:app:user:sessions",        // unclosed tag
		"sg:{a:app}:state",               // app state
		"other:{u:app:user}:sessions",    // another prefix
		"sgx:{u:app:user}:sessions",      // a longer prefix
		"sg:{u:app:us%zzer}:sessions",    // bad escape
		"sg:{u:app:user}:sessions:extra", // trailing text
	} {
		_, ok := keyspace.ParseKey("sg", key)
		require.False(t, ok, key)
	}
}

func TestUserKeysPattern(t *testing.T) {
	require.Equal(t, "sg:{u:*", keyspace.UserKeysPattern("sg"))
	require.Equal(t, `a\*b\?\[c\]\\:{u:*`,
		keyspace.UserKeysPattern(`a*b?[c]\`))
}
