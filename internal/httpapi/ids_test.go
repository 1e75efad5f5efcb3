package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/testredis"
	"github.com/sessionguard/sessionguard/store"
)

// TestOddIDs checks that ids holding ':', '{', '}', '/', spaces and
// non-ASCII, percent-encoded in the path, reach the store intact and
// never meet: app "a:b"/user "c" and app "a"/user "b:c" stay apart.
func TestOddIDs(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		c := newClient(t, b, store.Options{})
		const id = "s:{x} y/z ü 会話"
		one := c.create("a:b", "c", map[string]any{"sessionId": id,
			"state": map[string]any{"who": "one"}})
		two := c.create("a", "b:c", map[string]any{"sessionId": id,
			"state": map[string]any{"who": "two"}})
		require.Equal(t, id, one.sess["id"])
		require.Equal(t, "a:b", one.sess["appName"])
		require.Equal(t, "b:c", two.sess["userId"])

		for _, s := range []created{one, two} {
			r := c.do("GET", s.path, s.token, nil)
			require.Equal(t, http.StatusOK, r.status, string(r.body))
			require.Equal(t, s.sess["state"], r.object(t)["state"])
		}
		requireError(t, c.do("GET", two.path, one.token, nil),
			http.StatusForbidden, "forbidden")

		list := c.do("GET", sessionsPath("a:b", "c"), one.token, nil)
		require.Equal(t, http.StatusOK, list.status, string(list.body))
		page := list.array(t)
		require.Len(t, page, 1)
		require.Equal(t, id, page[0].(map[string]any)["id"])

		// ':' sent raw and percent-encoded names the same session.
		raw := "/apps/a:b/users/c/sessions/s%3A%7Bx%7D%20y%2Fz%20" +
			"%C3%BC%20%E4%BC%9A%E8%A9%B1"
		r := c.do("GET", raw, one.token, nil)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		r = c.do("GET", "/apps/a%3Ab/users/c/sessions", one.token, nil)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		require.Len(t, r.array(t), 1)
	})
}

// TestEveryCreatedIDCanBeAddressed creates sessions whose ids are hard
// to put in a URL and reads each back by its escaped path; an id that
// cannot be addressed is refused at create.
func TestEveryCreatedIDCanBeAddressed(t *testing.T) {
	c := newClient(t, testredis.Mini(t), store.Options{MaxSessionsPerUser: 50})
	ids := []string{"a/", "/a", "a/b", "//", "a//b", "../a", "a/..", "./",
		"%", "%2F", " ", "a\nb", "?x=1", "#frag", "\\", "ü"}
	for _, id := range ids {
		s := c.create("app", "u", map[string]any{"sessionId": id})
		r := c.do("GET", s.path, s.token, nil)
		require.Equal(t, http.StatusOK, r.status, "%q: %s", id, r.body)
		require.Equal(t, id, r.object(t)["id"])
	}
	for _, id := range []string{".", ".."} {
		s := c.create("app", "u", map[string]any{"sessionId": id})
		path := sessionsPath("app", "u") + "/" +
			strings.ReplaceAll(id, ".", "%2E")
		r := c.do("GET", path, s.token, nil)
		require.Equal(t, http.StatusOK, r.status, "%q: %s", id, r.body)
	}
	r := c.do("POST", sessionsPath("app", "u"), adminToken,
		map[string]any{"sessionId": "/"})
	requireError(t, r, http.StatusBadRequest, "invalid_argument")
}
