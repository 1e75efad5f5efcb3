package httpapi_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/testredis"
	"github.com/sessionguard/sessionguard/store"
)

// TestWalkthrough drives one session through its whole life over HTTP.
func TestWalkthrough(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		c := newClient(t, b, store.Options{})
		s := c.create("shop", "alice", map[string]any{
			"sessionId": "s1", "state": map[string]any{"cart": 0}})
		require.NotEmpty(t, s.token)
		require.NotEmpty(t, s.etag)
		require.Equal(t, "s1", s.sess["id"])
		require.Equal(t, "shop", s.sess["appName"])
		require.Equal(t, "alice", s.sess["userId"])
		require.Equal(t, map[string]any{"cart": 0.0}, s.sess["state"])

		appendAndGet(t, c, s)
		listPages(t, c, s)
		issueAndRevoke(t, c, s)

		r := c.do("DELETE", s.path, s.token, nil)
		require.Equal(t, http.StatusNoContent, r.status)
		requireError(t, c.do("GET", s.path, adminToken, nil),
			http.StatusNotFound, "not_found")
		requireError(t, c.do("GET", s.path, s.token, nil),
			http.StatusUnauthorized, "unauthenticated")
	})
}

// appendAndGet appends an event from the created copy and reads the
// session back, whole and filtered.
func appendAndGet(t *testing.T, c *client, s created) {
	ev := map[string]any{"author": "user", "invocationId": "inv-1",
		"timestamp": "2025-12-03T10:00:00.5Z",
		"content": map[string]any{"parts": []any{
			map[string]any{"text": "hi"}}},
		"actions": map[string]any{"stateDelta": map[string]any{
			"cart": 1, "temp:scratch": true}}}
	r := c.do("POST", s.path+"/events", s.token, ev, "If-Match", s.etag)
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	stored := r.object(t)
	require.NotEmpty(t, stored["id"])
	require.Equal(t, 1764756000.5, stored["timestamp"])
	require.Equal(t, map[string]any{"stateDelta": map[string]any{
		"cart": 1.0}}, stored["actions"])
	etag := r.header.Get("ETag")
	require.NotEqual(t, s.etag, etag)

	r = c.do("GET", s.path, s.token, nil)
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	require.Equal(t, etag, r.header.Get("ETag"))
	got := r.object(t)
	require.Equal(t, map[string]any{"cart": 1.0}, got["state"])
	require.Equal(t, []any{stored}, got["events"])
	require.Greater(t, got["lastUpdateTime"], 0.0)

	r = c.do("GET", s.path+"?numRecentEvents=1&afterTimestamp="+
		"1764756000", s.token, nil)
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	require.Len(t, r.object(t)["events"], 1)
	r = c.do("GET", s.path+"?afterTimestamp=2025-12-03T10:00:01Z",
		s.token, nil)
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	require.Empty(t, r.object(t)["events"])
}

// listPages makes the user's sessions five and pages through them two
// at a time with the token of the first.
func listPages(t *testing.T, c *client, s created) {
	for range 4 {
		c.create("shop", "alice", nil)
	}
	seen := map[string]bool{}
	path := sessionsPath("shop", "alice") + "?pageSize=2"
	var sizes []int
	for next := ""; ; {
		r := c.do("GET", path+"&pageToken="+next, s.token, nil)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		page := r.array(t)
		sizes = append(sizes, len(page))
		for _, sess := range page {
			m := sess.(map[string]any)
			require.Equal(t, "alice", m["userId"])
			require.Empty(t, m["events"])
			seen[m["id"].(string)] = true
		}
		if next = r.header.Get("X-Next-Page-Token"); next == "" {
			break
		}
	}
	require.Equal(t, []int{2, 2, 1}, sizes)
	require.Len(t, seen, 5)
	require.True(t, seen["s1"])

	r := c.do("GET", sessionsPath("shop", "nobody"), adminToken, nil)
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	require.Equal(t, "[]\n", string(r.body))
}

// issueAndRevoke gets a second token, uses it, revokes it and checks
// that only it stopped working.
func issueAndRevoke(t *testing.T, c *client, s created) {
	r := c.do("POST", s.path+"/tokens", s.token, nil)
	require.Equal(t, http.StatusCreated, r.status, string(r.body))
	tok2 := r.header.Get("X-Session-Token")
	require.NotEmpty(t, tok2)
	require.NotEqual(t, s.token, tok2)
	exp, err := time.Parse(time.RFC3339, r.object(t)["expiresAt"].(string))
	require.NoError(t, err)
	require.True(t, exp.After(time.Now().Add(30*time.Minute)), exp)

	require.Equal(t, http.StatusOK, c.do("GET", s.path, tok2, nil).status)
	r = c.do("DELETE", s.path+"/tokens/self", tok2, nil)
	require.Equal(t, http.StatusNoContent, r.status, string(r.body))
	requireError(t, c.do("GET", s.path, tok2, nil),
		http.StatusUnauthorized, "unauthenticated")
	require.Equal(t, http.StatusOK, c.do("GET", s.path, s.token, nil).status)
}
