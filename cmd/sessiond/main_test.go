package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/testredis"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// TestServeShutdown checks that serve returns nil once its context
// ends, after letting a request in flight finish.
func TestServeShutdown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	entered, release := make(chan struct{}), make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		close(entered)
		<-release
		_, _ = io.WriteString(w, "done")
	})
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		served <- serve(ctx, ln, newServer(h, quiet), 5*time.Second, quiet)
	}()

	got := make(chan string, 1)
	go func() { got <- get("http://" + ln.Addr().String() + "/") }()
	<-entered
	cancel()
	time.Sleep(50 * time.Millisecond) // let Shutdown start waiting
	close(release)
	require.Equal(t, "done", <-got)
	require.NoError(t, <-served)
	_, err = net.Dial("tcp", ln.Addr().String())
	require.Error(t, err, "still listening after shutdown")
}

// TestServeShutdownTimeout checks that a request outlasting the
// shutdown timeout makes serve fail rather than hang.
func TestServeShutdownTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	entered, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	h := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		close(entered)
		<-release
	})
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		served <- serve(ctx, ln, newServer(h, quiet), 100*time.Millisecond,
			quiet)
	}()
	go func() { _, _ = http.Get("http://" + ln.Addr().String() + "/") }()
	<-entered
	cancel()
	require.ErrorIs(t, <-served, context.DeadlineExceeded)
}

// TestCommand runs sessiond in-process, as main would, on each backend
// (the embedded Redis first), walks a session through it and stops it
// by ending its context.
func TestCommand(t *testing.T) {
	t.Run("embedded", func(t *testing.T) { runCommand(t) })
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		args := []string{"--key-prefix", b.Prefix, "--token-keys",
			"k1:" + randomSecret()}
		switch {
		case b.Mini != nil:
			args = append(args, "--redis-addrs", b.Mini.Addr())
		case b.Name == "RealRedis":
			args = append(args, "--redis-addrs",
				os.Getenv(testredis.EnvStandalone))
		default:
			args = append(args, "--redis-cluster", "--redis-addrs",
				os.Getenv(testredis.EnvCluster))
		}
		runCommand(t, args...)
	})
}

func runCommand(t *testing.T, args ...string) {
	addr := freeAddr(t)
	cmd := newRootCommand()
	cmd.SetArgs(append([]string{"--listen", addr, "--log-format", "text",
		"--log-level", "warn", "--admin-token", strings.Repeat("a", 32)},
		args...))
	cmd.SetErr(io.Discard)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()

	base := "http://" + addr
	waitReady(t, base)
	walk(t, base, strings.Repeat("a", 32))
	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("sessiond did not stop")
	}
}

// walk creates a session, appends to it and reads it back.
func walk(t *testing.T, base, admin string) {
	path := base + "/apps/app/users/u1/sessions"
	req, err := http.NewRequest("POST", path, strings.NewReader(
		`{"sessionId": "s1"}`))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+admin)
	resp, _ := do(t, req, http.StatusOK)
	tok := resp.Header.Get("X-Session-Token")
	require.NotEmpty(t, tok)

	req, err = http.NewRequest("POST", path+"/s1/events",
		strings.NewReader(`{"author": "user", "content": "hi"}`))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tok)
	do(t, req, http.StatusOK)

	req, err = http.NewRequest("GET", path+"/s1", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, body := do(t, req, http.StatusOK)
	require.NotEmpty(t, resp.Header.Get("ETag"))
	var sess struct{ Events []any }
	require.NoError(t, json.Unmarshal(body, &sess))
	require.Len(t, sess.Events, 1)
}

// do sends req, requires status and returns the response and its body.
func do(t *testing.T, req *http.Request, status int,
) (*http.Response, []byte) {
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, status, resp.StatusCode, string(body))
	return resp, body
}

// get returns the body at url, or the error text.
func get(url string) string {
	resp, err := http.Get(url)
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// waitReady polls /readyz until sessiond answers 200.
func waitReady(t *testing.T, base string) {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("sessiond did not become ready")
}

// freeAddr returns a loopback address with a port free a moment ago.
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().String()
}

func randomSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

// TestBadSettings checks that wrong settings stop sessiond before it
// serves, with an error naming the setting.
func TestBadSettings(t *testing.T) {
	cases := map[string][]string{
		"listen":     {"--listen", "nowhere"},
		"log_format": {"--log-format", "xml"},
		"token_keys": {"--redis-addrs", "127.0.0.1:1"},
	}
	for want, args := range cases {
		cmd := newRootCommand()
		cmd.SetArgs(args)
		cmd.SetErr(io.Discard)
		err := cmd.ExecuteContext(context.Background())
		require.ErrorContains(t, err, want)
	}
}

// syncBuffer is a bytes.Buffer safe for a logger and a test at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestJanitorRunsInSessiond(t *testing.T) {
	for name, want := range map[string]bool{"on": true, "off": false} {
		t.Run(name, func(t *testing.T) {
			logs := &syncBuffer{}
			cmd := newRootCommand()
			cmd.SetArgs([]string{"--listen", freeAddr(t), "--log-format",
				"text", "--cleanup-interval-seconds", "1",
				"--auto-cleanup-expired-sessions=" + strconv.FormatBool(want)})
			cmd.SetErr(logs)
			ctx, cancel := context.WithTimeout(context.Background(),
				1500*time.Millisecond)
			defer cancel()
			require.NoError(t, cmd.ExecuteContext(ctx))
			require.Equal(t, want, strings.Contains(logs.String(),
				"msg=\"janitor run\""), logs.String())
		})
	}
}
