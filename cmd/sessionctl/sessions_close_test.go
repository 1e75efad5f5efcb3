package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/testredis"
	"github.com/sessionguard/sessionguard/store"
)

func TestSessionsClose(t *testing.T) {
	h := newHarness(t, testredis.Mini(t))
	cred := h.create("chat", "alice", "s1")
	h.create("chat", "alice", "s2")

	out := h.ok("sessions", "close", "chat", "alice", "s1")
	require.Equal(t, "closed session chat/alice/s1\n", out)
	_, err := h.st.Get(ctx, cred, store.Ref{App: "chat", User: "alice",
		ID: "s1"}, nil)
	require.Error(t, err, "the session and its token are gone")

	var c closeJSON
	h.json(&c, "sessions", "close", "chat", "alice", "s2")
	require.Equal(t, closeJSON{App: "chat", User: "alice", ID: "s2",
		Closed: true}, c)

	r := h.run("sessions", "close", "chat", "alice", "s2")
	require.Equal(t, exitError, r.code)
	require.Contains(t, r.err, "session not found: chat/alice/s2")
}
