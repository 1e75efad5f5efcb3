package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/testredis"
	"github.com/sessionguard/sessionguard/store"
)

func TestUsersRevoke(t *testing.T) {
	h := newHarness(t, testredis.Mini(t))
	for _, id := range []string{"s1", "s2", "s3"} {
		h.create("chat", "alice", id)
	}
	h.create("chat", "bob", "s1")

	r := h.run("users", "revoke", "chat", "alice", "--except", "nope")
	require.Equal(t, exitError, r.code)
	require.Contains(t, r.err, "session not found: chat/alice/nope")

	var j revokeUserJSON
	h.json(&j, "users", "revoke", "chat", "alice", "--except", "s2")
	require.Equal(t, "s2", j.Kept)
	require.ElementsMatch(t, []string{"s1", "s3"}, j.Closed)

	out := lines(h.ok("users", "revoke", "chat", "alice"))
	require.Equal(t, []string{"closed 1 session of chat/alice", "  s2"}, out)

	page, err := h.st.List(ctx, store.Admin, "chat", "bob",
		store.ListOptions{})
	require.NoError(t, err)
	require.Len(t, page.Sessions, 1, "other users keep their sessions")

	require.Equal(t, exitUsage, h.run("users", "revoke", "chat").code)
}
