package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/config"
	"github.com/sessionguard/sessionguard/internal/testredis"
	"github.com/sessionguard/sessionguard/store"
)

var ctx = context.Background()

// tokenKey is a valid token_keys entry: config requires one with a
// real Redis, though admin commands never use it.
const tokenKey = "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="

// harness runs sessionctl in-process against one test backend.
type harness struct {
	t     *testing.T
	b     testredis.Backend
	st    *store.Store // arranges data in the same keyspace
	flags []string     // connection flags added to every run
	tty   bool         // what isTerminal answers
}

// result is what one run printed and returned.
type result struct {
	out, err string
	code     int
}

func newHarness(t *testing.T, b testredis.Backend) *harness {
	t.Helper()
	st, err := store.New(b.Client, store.Options{Prefix: b.Prefix})
	require.NoError(t, err)
	h := &harness{t: t, b: b, st: st}
	h.flags = []string{"--redis-addrs", strings.Join(addrs(b), ","),
		"--token-keys", tokenKey, "--key-prefix", b.Prefix}
	if b.Name == "RealRedisCluster" {
		h.flags = append(h.flags, "--redis-cluster")
	}
	return h
}

// addrs returns the addresses of b's server(s).
func addrs(b testredis.Backend) []string {
	switch b.Name {
	case "RealRedis":
		return []string{os.Getenv(testredis.EnvStandalone)}
	case "RealRedisCluster":
		return strings.Split(os.Getenv(testredis.EnvCluster), ",")
	}
	return []string{b.Mini.Addr()}
}

// connect hands sessionctl a client of its own on the backend, as the
// command closes the client it gets.
func (h *harness) connect(cfg *config.Config) (redis.UniversalClient, error) {
	if h.b.Name == "RealRedisCluster" {
		return redis.NewClusterClient(&redis.ClusterOptions{
			Addrs: cfg.RedisAddrs}), nil
	}
	return redis.NewClient(&redis.Options{Addr: cfg.RedisAddrs[0]}), nil
}

// run runs sessionctl with args plus the connection flags.
func (h *harness) run(args ...string) result {
	h.t.Helper()
	var out, errb bytes.Buffer
	e := env{stdout: &out, stderr: &errb, connect: h.connect,
		isTerminal: func(io.Writer) bool { return h.tty }}
	code := execute(e, append(args, h.flags...))
	return result{out: out.String(), err: errb.String(), code: code}
}

// ok runs args, requires success and returns stdout.
func (h *harness) ok(args ...string) string {
	h.t.Helper()
	r := h.run(args...)
	require.Equal(h.t, exitOK, r.code, "stderr: %s", r.err)
	return r.out
}

// json runs args with -o json, requires success and decodes stdout.
func (h *harness) json(v any, args ...string) {
	h.t.Helper()
	out := h.ok(append(args, "-o", "json")...)
	require.NoError(h.t, json.Unmarshal([]byte(out), v), out)
}

// create makes a session and returns its token's credential.
func (h *harness) create(app, user, id string) store.Credential {
	h.t.Helper()
	_, tok, err := h.st.Create(ctx, app, user, store.CreateOptions{ID: id})
	require.NoError(h.t, err)
	return store.Bearer(tok)
}

// appendSample appends the recorded ADK conversation to the session
// and returns how many events were stored (partial ones are not).
func (h *harness) appendSample(cred store.Credential, ref store.Ref) int {
	h.t.Helper()
	f, err := os.Open("../../testdata/adk-coding-agent-session.jsonl")
	require.NoError(h.t, err)
	defer f.Close()
	sess := &store.Session{ID: ref.ID, AppName: ref.App, UserID: ref.User,
		Version: store.AnyVersion}
	stored := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		ev := new(store.Event)
		require.NoError(h.t, json.Unmarshal(sc.Bytes(), ev))
		_, err := h.st.AppendEvent(ctx, cred, sess, ev)
		require.NoError(h.t, err)
		if !ev.Partial {
			stored++
		}
	}
	require.NoError(h.t, sc.Err())
	return stored
}

// lines splits output into its non-empty lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}
