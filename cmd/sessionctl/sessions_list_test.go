package main

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/testredis"
	"github.com/sessionguard/sessionguard/store"
)

func TestSessionsList(t *testing.T) {
	h := newHarness(t, testredis.Mini(t))
	for _, id := range []string{"s1", "s2", "s3"} {
		h.create("chat", "alice", id)
		h.b.Sleep(time.Second) // distinct last-update times
	}
	cred := h.create("chat", "bob", "other")
	stored := h.appendSample(cred, store.Ref{App: "chat", User: "bob",
		ID: "other"})

	out := lines(h.ok("sessions", "list", "--app", "chat", "--user", "alice"))
	require.Len(t, out, 4)
	require.Equal(t, []string{"ID", "CREATED", "LAST", "UPDATE", "IDLE",
		"EXPIRY", "ABSOLUTE", "EXPIRY", "EVENTS", "BYTES", "TOKENS"},
		strings.Fields(out[0]))
	require.True(t, strings.HasPrefix(out[1], "s3 "), out[1])
	require.Contains(t, out[1], "in 1h59m")
	require.NotContains(t, strings.Join(out, "\n"), "other")

	var l listJSON
	h.json(&l, "sessions", "list", "--app", "chat", "--user", "bob")
	require.Len(t, l.Sessions, 1)
	s := l.Sessions[0]
	require.Equal(t, "other", s.ID)
	require.EqualValues(t, stored, s.EventCount)
	require.Positive(t, s.Bytes)
	require.Equal(t, 1, s.LiveTokens)
	require.WithinDuration(t, s.Created.Add(2*time.Hour), s.IdleExpiry,
		time.Second)
	require.WithinDuration(t, s.Created.Add(24*time.Hour),
		s.AbsoluteExpiry, time.Second)
	require.Empty(t, l.NextPageToken)
}

func TestSessionsListPages(t *testing.T) {
	h := newHarness(t, testredis.Mini(t))
	for _, id := range []string{"s1", "s2", "s3"} {
		h.create("chat", "alice", id)
		h.b.Sleep(time.Second)
	}
	args := []string{"sessions", "list", "--app", "chat", "--user", "alice",
		"--page-size", "2"}

	r := h.run(args...)
	require.Equal(t, exitOK, r.code)
	require.Len(t, lines(r.out), 3)
	next, ok := strings.CutPrefix(strings.TrimSpace(r.err), "next page: ")
	require.True(t, ok, r.err)

	var l listJSON
	h.json(&l, append(args, "--page-token", next)...)
	require.Len(t, l.Sessions, 1)
	require.Equal(t, "s1", l.Sessions[0].ID)
	require.Empty(t, l.NextPageToken)

	r = h.run(append(args, "--page-token", "garbage")...)
	require.Equal(t, exitUsage, r.code)
	require.Contains(t, r.err, "page token")
}

func TestSessionsListNeedsAppAndUser(t *testing.T) {
	h := newHarness(t, testredis.Mini(t))
	r := h.run("sessions", "list", "--app", "chat")
	require.Equal(t, exitUsage, r.code)
	require.Contains(t, r.err, `"user" not set`)
}
