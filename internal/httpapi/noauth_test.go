package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/testredis"
	"github.com/sessionguard/sessionguard/store"
)

// TestAuthDisabled checks that with authentication off no route needs
// a header and no token is handed out.
func TestAuthDisabled(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		st, err := store.New(b.Client, store.Options{Prefix: b.Prefix,
			DisableAuth: true})
		require.NoError(t, err)
		c := serveStore(t, st, "")

		r := c.do("POST", sessionsPath("app", "u1"), "",
			`{"sessionId": "s1"}`)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		require.Empty(t, r.header.Values("X-Session-Token"))
		path := sessionPath("app", "u1", "s1")

		r = c.do("POST", path+"/events", "", `{"author": "user"}`)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		r = c.do("PATCH", path, "", `{"stateDelta": {"k": "v"}}`)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		got := r.object(t)
		require.Equal(t, map[string]any{"k": "v"}, got["state"])
		require.Len(t, got["events"], 2)
		r = c.do("GET", sessionsPath("app", "u1"), "", nil)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		require.Len(t, r.array(t), 1)

		requireError(t, c.do("POST", path+"/tokens", "", nil),
			http.StatusBadRequest, "invalid_argument")
		r = c.do("DELETE", path, "", nil)
		require.Equal(t, http.StatusNoContent, r.status, string(r.body))
		requireError(t, c.do("GET", path, "", nil),
			http.StatusNotFound, "not_found")
	})
}
