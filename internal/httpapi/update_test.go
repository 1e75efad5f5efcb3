package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/testredis"
	"github.com/sessionguard/sessionguard/store"
)

// TestUpdateState checks PATCH: the delta lands in the state by scope,
// is recorded as an event by "system", and honours If-Match.
func TestUpdateState(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		c := newClient(t, b, store.Options{})
		s := c.create("app", "u1", map[string]any{"state": map[string]any{
			"keep": 1, "drop": 2}})
		delta := `{"stateDelta": {"drop": null, "user:lang": "es",
			"temp:x": 1, "new": [1, 2]}}`
		r := c.do("PATCH", s.path, s.token, delta, "If-Match", s.etag)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		got := r.object(t)
		require.Equal(t, map[string]any{"keep": 1.0, "user:lang": "es",
			"new": []any{1.0, 2.0}}, got["state"])
		events := got["events"].([]any)
		require.Len(t, events, 1)
		ev := events[0].(map[string]any)
		require.Equal(t, "system", ev["author"])
		require.NotContains(t, ev["actions"].(map[string]any)["stateDelta"],
			"temp:x")
		require.NotEqual(t, s.etag, r.header.Get("ETag"))

		requireError(t, c.do("PATCH", s.path, s.token, delta,
			"If-Match", s.etag), http.StatusConflict, "conflict")

		// user: state is shared with the user's other sessions.
		other := c.create("app", "u1", nil)
		require.Equal(t, map[string]any{"user:lang": "es"},
			other.sess["state"])
	})
}

// TestDuplicateEvent checks that an event whose id is already stored is
// answered with the stored event and changes nothing.
func TestDuplicateEvent(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		c := newClient(t, b, store.Options{})
		s := c.create("app", "u1", nil)
		first := c.do("POST", s.path+"/events", s.token,
			`{"id": "e1", "author": "user", "content": "one"}`)
		require.Equal(t, http.StatusOK, first.status, string(first.body))
		again := c.do("POST", s.path+"/events", s.token,
			`{"id": "e1", "author": "user", "content": "two"}`)
		require.Equal(t, http.StatusOK, again.status, string(again.body))
		require.JSONEq(t, string(first.body), string(again.body))
		require.Empty(t, again.header.Get("ETag"))

		r := c.do("GET", s.path, s.token, nil)
		require.Len(t, r.object(t)["events"], 1)
		require.Equal(t, first.header.Get("ETag"), r.header.Get("ETag"))
	})
}
