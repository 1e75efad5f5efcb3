package httpapi_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/httpapi"
	"github.com/sessionguard/sessionguard/internal/testredis"
	"github.com/sessionguard/sessionguard/store"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestRequestLog checks the request log line: route pattern, status,
// and neither the token nor the ids of the path.
func TestRequestLog(t *testing.T) {
	b := testredis.Mini(t)
	st, err := store.New(b.Client, store.Options{Prefix: b.Prefix})
	require.NoError(t, err)
	var buf syncBuffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	srv := httptest.NewServer(httpapi.New(st, httpapi.Options{
		AdminToken: adminToken, Logger: log}))
	t.Cleanup(srv.Close)
	c := &client{t: t, base: srv.URL}

	s := c.create("app", "secret-user", nil)
	require.Equal(t, http.StatusOK, c.do("GET", s.path, s.token, nil).status)
	srv.Close() // waits for the handlers, and so for their log lines

	out := buf.String()
	require.NotContains(t, out, s.token)
	require.NotContains(t, out, adminToken)
	require.NotContains(t, out, "secret-user")
	var last map[string]any
	lines := bytes.Split(bytes.TrimSpace([]byte(out)), []byte("\n"))
	require.NoError(t, json.Unmarshal(lines[len(lines)-1], &last))
	require.Equal(t, "request", last["msg"])
	require.Equal(t, "GET", last["method"])
	require.Equal(t, "GET /apps/{app}/users/{user}/sessions/{id}",
		last["route"])
	require.Equal(t, 200.0, last["status"])
	require.Contains(t, last, "duration_ms")
}
