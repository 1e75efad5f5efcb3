package httpapi_test

import (
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/testredis"
	"github.com/sessionguard/sessionguard/store"
)

// TestErrors makes every error code happen through a real request.
func TestErrors(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		c := newClient(t, b, store.Options{MaxSessionsPerUser: 2,
			MaxEventBytes: 2048})
		a := c.create("app", "u1", map[string]any{"sessionId": "a"})
		other := c.create("app", "u1", map[string]any{"sessionId": "b"})
		stranger := c.create("app", "u2", nil)

		t.Run("unauthenticated", func(t *testing.T) {
			testUnauthenticated(t, c, a)
		})
		t.Run("forbidden", func(t *testing.T) {
			for _, path := range []string{other.path, stranger.path,
				sessionsPath("app", "u2")} {
				requireError(t, c.do("GET", path, a.token, nil),
					http.StatusForbidden, "forbidden")
			}
		})
		t.Run("not_found", func(t *testing.T) { testNotFound(t, c, a) })
		t.Run("conflicts", func(t *testing.T) { testConflicts(t, c, a) })
		t.Run("limits", func(t *testing.T) { testLimits(t, c, a) })
		t.Run("invalid_argument", func(t *testing.T) {
			testInvalid(t, c, a)
		})
	})
}

func testUnauthenticated(t *testing.T, c *client, a created) {
	unauth := func(token string, header ...string) {
		t.Helper()
		r := c.do("GET", a.path, token, nil, header...)
		requireError(t, r, http.StatusUnauthorized, "unauthenticated")
		require.Equal(t, "Bearer", r.header.Get("WWW-Authenticate"))
		if token != "" {
			require.NotContains(t, string(r.body), token)
		}
	}
	unauth("")
	unauth("nope")
	unauth("sgt_" + strings.Repeat("A", 51))
	unauth("", "Authorization", "Basic "+a.token)

	r := c.do("POST", a.path+"/tokens", a.token, nil)
	require.Equal(t, http.StatusCreated, r.status, string(r.body))
	revoked := r.header.Get("X-Session-Token")
	r = c.do("DELETE", a.path+"/tokens/self", revoked, nil)
	require.Equal(t, http.StatusNoContent, r.status, string(r.body))
	unauth(revoked)

	// Creating needs the admin token once one is configured.
	for _, tok := range []string{"", a.token} {
		requireError(t, c.do("POST", sessionsPath("app", "u3"), tok, nil),
			http.StatusUnauthorized, "unauthenticated")
	}
}

func testNotFound(t *testing.T, c *client, a created) {
	for _, req := range [][2]string{
		{"GET", sessionPath("app", "u1", "missing")},
		{"DELETE", sessionPath("app", "u1", "missing")},
		{"GET", "/nope"},
		{"PUT", a.path},
		{"GET", a.path + "/events"},
	} {
		requireError(t, c.do(req[0], req[1], adminToken, nil),
			http.StatusNotFound, "not_found")
	}
}

func testConflicts(t *testing.T, c *client, a created) {
	requireError(t, c.do("POST", sessionsPath("app", "u1"), adminToken,
		`{"sessionId": "a"}`), http.StatusConflict, "already_exists")

	ev := map[string]any{"author": "user"}
	r := c.do("POST", a.path+"/events", a.token, ev, "If-Match", a.etag)
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	requireError(t, c.do("POST", a.path+"/events", a.token, ev,
		"If-Match", a.etag), http.StatusConflict, "conflict")
	unquoted := strings.Trim(r.header.Get("ETag"), `"`)
	r = c.do("POST", a.path+"/events", a.token, ev, "If-Match", unquoted)
	require.Equal(t, http.StatusOK, r.status, string(r.body))
}

func testLimits(t *testing.T, c *client, a created) {
	e := requireError(t, c.do("POST", sessionsPath("app", "u1"),
		adminToken, nil), http.StatusTooManyRequests, "limit_exceeded")
	require.Equal(t, "max_sessions_per_user", e["limit"])
	require.Contains(t, e["message"], "max_sessions_per_user")

	big := map[string]any{"author": "user", "content": map[string]any{
		"parts": []any{map[string]any{"text": strings.Repeat("x", 3000)}}}}
	e = requireError(t, c.do("POST", a.path+"/events", a.token, big),
		http.StatusRequestEntityTooLarge, "too_large")
	require.Equal(t, "max_event_size_bytes", e["limit"])

	huge := `{"author": "user", "content": "` +
		strings.Repeat("x", 100<<10) + `"}`
	e = requireError(t, c.do("POST", a.path+"/events", a.token, huge),
		http.StatusRequestEntityTooLarge, "too_large")
	require.Equal(t, "max_event_size_bytes", e["limit"])
}

func testInvalid(t *testing.T, c *client, a created) {
	cases := []struct {
		method, path, body, mention string
		header                      []string
	}{
		{"POST", a.path + "/events", `{"author": `, "", nil},
		{"POST", a.path + "/events", `[]`, "JSON object", nil},
		{"POST", a.path + "/events", ``, "JSON object", nil},
		{"POST", a.path + "/events", `{"timestamp": "soon"}`, "", nil},
		{"POST", a.path + "/events", `{}`, "If-Match",
			[]string{"If-Match", `"v2"`}},
		{"GET", a.path + "?numRecentEvents=-1", "", "numRecentEvents", nil},
		{"GET", a.path + "?numRecentEvents=ten", "", "numRecentEvents", nil},
		{"GET", a.path + "?afterTimestamp=yesterday", "",
			"afterTimestamp", nil},
		{"GET", sessionsPath("app", "u1") + "?pageSize=x", "", "pageSize",
			nil},
		{"GET", sessionsPath("app", "u1") + "?pageToken=zz", "",
			"page token", nil},
		{"GET", sessionsPath("app", "u1") + "/%FF", "", "UTF-8", nil},
		{"PATCH", a.path, `{}`, "stateDelta", nil},
		{"POST", sessionsPath("app", "u1"), `{"state": 5}`, "", nil},
		{"POST", sessionsPath("app", "u1"), `{"events": [{}]}`, "events",
			nil},
	}
	for _, tc := range cases {
		token := a.token
		if tc.method == "POST" && strings.HasSuffix(tc.path, "/sessions") {
			token = adminToken
		}
		var body any
		if tc.body != "" {
			body = tc.body
		}
		r := c.do(tc.method, tc.path, token, body, tc.header...)
		e := requireError(t, r, http.StatusBadRequest, "invalid_argument")
		require.Contains(t, e["message"], tc.mention, tc.path)
	}
}

// TestTokenExpired checks that a token stops working at its expiry.
func TestTokenExpired(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		c := newClient(t, b, store.Options{TokenTTL: time.Second})
		s := c.create("app", "u1", nil)
		require.Equal(t, http.StatusOK, c.do("GET", s.path, s.token, nil).status)
		b.Sleep(1500 * time.Millisecond)
		requireError(t, c.do("GET", s.path, s.token, nil),
			http.StatusUnauthorized, "unauthenticated")
	})
}

// TestUnavailable checks the answers when Redis cannot be reached.
func TestUnavailable(t *testing.T) {
	t.Run("dead port", func(t *testing.T) {
		requireUnavailable(t, serveStore(t, quickStore(t, deadAddr(t)),
			adminToken))
	})
	t.Run("miniredis closed", func(t *testing.T) {
		m := testredis.Mini(t).Mini
		c := serveStore(t, quickStore(t, m.Addr()), adminToken)
		s := c.create("app", "u1", nil)
		require.Equal(t, http.StatusOK, c.do("GET", "/readyz", "", nil).status)
		m.Close()
		requireError(t, c.do("GET", s.path, s.token, nil),
			http.StatusServiceUnavailable, "unavailable")
		requireUnavailable(t, c)
	})
}

func requireUnavailable(t *testing.T, c *client) {
	for _, req := range [][2]string{
		{"GET", "/readyz"},
		{"POST", sessionsPath("app", "u1")},
		{"GET", sessionPath("app", "u1", "s")},
		{"GET", sessionsPath("app", "u1")},
	} {
		r := c.do(req[0], req[1], adminToken, nil)
		e := requireError(t, r, http.StatusServiceUnavailable, "unavailable")
		require.NotContains(t, e["message"], "127.0.0.1")
	}
	r := c.do("GET", "/healthz", "", nil)
	require.Equal(t, http.StatusOK, r.status)
	require.JSONEq(t, `{"status":"ok"}`, string(r.body))
}

// quickStore returns a store on the Redis at addr whose client gives up
// at once, so that an outage is answered quickly.
func quickStore(t *testing.T, addr string) *store.Store {
	rdb := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1,
		DialerRetries: 1, DialTimeout: 200 * time.Millisecond})
	t.Cleanup(func() { rdb.Close() })
	st, err := store.New(rdb, store.Options{})
	require.NoError(t, err)
	return st
}

// deadAddr returns a loopback address where nothing listens.
func deadAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}
