package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/testredis"
	"github.com/sessionguard/sessionguard/store"
)

func TestStats(t *testing.T) {
	h := newHarness(t, testredis.Mini(t))
	cred := h.create("coder", "alice", "s1")
	stored := h.appendSample(cred, store.Ref{App: "coder", User: "alice",
		ID: "s1"})
	h.create("coder", "alice", "s2")
	h.create("coder", "bob", "s1")
	h.create("chat", "carol", "s1")

	out := lines(h.ok("stats"))
	require.Len(t, out, 3)
	require.Regexp(t, `^APP\s+USERS\s+SESSIONS\s+EVENTS\s+BYTES$`, out[0])
	require.Regexp(t, `^chat\s+1\s+1\s+0\s+0 B$`, out[1])
	require.Regexp(t, `^coder\s+2\s+3\s+13\s+\d+\.\d KiB$`, out[2])

	var s statsJSON
	h.json(&s, "stats")
	require.Len(t, s.Apps, 2)
	coder := s.Apps[1]
	require.Equal(t, "coder", coder.App)
	require.EqualValues(t, 2, coder.Users)
	require.EqualValues(t, 3, coder.Sessions)
	require.EqualValues(t, stored, coder.Events)
	require.Positive(t, coder.Bytes)

	h.b.Sleep(3 * time.Hour)
	h.json(&s, "stats")
	require.Empty(t, s.Apps, "expired sessions do not count")
}

// TestStatsAndUsersRealRedisCluster walks every master of a cluster.
func TestStatsAndUsersRealRedisCluster(t *testing.T) {
	h := newHarness(t, testredis.Cluster(t))
	users := []string{"u0", "u1", "u2", "u3", "u4", "u5", "u6", "u7"}
	for _, u := range users {
		h.create("chat", u, "s1")
		h.create("chat", u, "s2")
	}
	h.create("other", "u0", "s1")

	var s statsJSON
	h.json(&s, "stats")
	require.Equal(t, []appStatsJSON{
		{App: "chat", Users: 8, Sessions: 16},
		{App: "other", Users: 1, Sessions: 1},
	}, s.Apps)

	var u usersJSON
	h.json(&u, "users", "list", "--app", "chat")
	require.Equal(t, users, u.Users)
	require.Equal(t, append([]string{"USER"}, users...),
		lines(h.ok("users", "list", "--app", "chat")))
}
