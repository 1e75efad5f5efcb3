package httpapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/httpapi"
	"github.com/sessionguard/sessionguard/internal/testredis"
	"github.com/sessionguard/sessionguard/store"
)

// adminToken is the admin credential of the test servers.
const adminToken = "test-admin-token-0123456789abcdef0123"

// client talks to one test server.
type client struct {
	t    *testing.T
	base string
}

// newClient serves a store on b with opts (its Prefix set to b's) and
// the admin token.
func newClient(t *testing.T, b testredis.Backend, opts store.Options,
) *client {
	opts.Prefix = b.Prefix
	st, err := store.New(b.Client, opts)
	require.NoError(t, err)
	return serveStore(t, st, adminToken)
}

func serveStore(t *testing.T, st *store.Store, admin string) *client {
	srv := httptest.NewServer(httpapi.New(st,
		httpapi.Options{AdminToken: admin}))
	t.Cleanup(srv.Close)
	return &client{t: t, base: srv.URL}
}

// reply is a response read to the end.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request; path is sent as written, so it may hold
// percent-encoding. token "" sends no Authorization header; body nil
// sends none, a string or []byte is sent as is, anything else as JSON.
func (c *client) do(method, path, token string, body any,
	header ...string,
) reply {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, encode(c.t, body))
	require.NoError(c.t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	return reply{status: resp.StatusCode, header: resp.Header, body: b}
}

func encode(t *testing.T, body any) io.Reader {
	switch b := body.(type) {
	case nil:
		return nil
	case string:
		return strings.NewReader(b)
	case []byte:
		return bytes.NewReader(b)
	}
	j, err := json.Marshal(body)
	require.NoError(t, err)
	return bytes.NewReader(j)
}

// created is a session made through the API.
type created struct {
	path  string // .../sessions/{id}, escaped
	token string
	etag  string
	sess  map[string]any
}

// create makes a session of user in app with body as the request
// body, as the admin, and requires it to succeed.
func (c *client) create(app, user string, body any) created {
	c.t.Helper()
	r := c.do("POST", sessionsPath(app, user), adminToken, body)
	require.Equal(c.t, http.StatusOK, r.status, string(r.body))
	var sess map[string]any
	require.NoError(c.t, json.Unmarshal(r.body, &sess))
	return created{
		path:  sessionPath(app, user, sess["id"].(string)),
		token: r.header.Get("X-Session-Token"),
		etag:  r.header.Get("ETag"),
		sess:  sess,
	}
}

func sessionsPath(app, user string) string {
	return "/apps/" + url.PathEscape(app) + "/users/" +
		url.PathEscape(user) + "/sessions"
}

func sessionPath(app, user, id string) string {
	return sessionsPath(app, user) + "/" + url.PathEscape(id)
}

// object decodes a JSON object reply.
func (r reply) object(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.body, &m), string(r.body))
	return m
}

// requireError checks the status and the error code of r, and returns
// the error object.
func requireError(t *testing.T, r reply, status int, code string,
) map[string]any {
	t.Helper()
	require.Equal(t, status, r.status, string(r.body))
	require.Equal(t, "application/json", r.header.Get("Content-Type"))
	e, ok := r.object(t)["error"].(map[string]any)
	require.True(t, ok, string(r.body))
	require.Equal(t, code, e["code"], string(r.body))
	require.NotEmpty(t, e["message"])
	return e
}

// array decodes a JSON array reply.
func (r reply) array(t *testing.T) []any {
	t.Helper()
	var a []any
	require.NoError(t, json.Unmarshal(r.body, &a), string(r.body))
	return a
}
