package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/testredis"
)

func TestUsersList(t *testing.T) {
	h := newHarness(t, testredis.Mini(t))
	for _, u := range []string{"carol", "alice", "bob:1", "{x}"} {
		h.create("chat", u, "")
	}
	h.create("chat", "alice", "")
	h.create("chat:2", "dave", "")

	out := lines(h.ok("users", "list", "--app", "chat"))
	require.Equal(t, []string{"USER", "alice", "bob:1", "carol", "{x}"}, out)

	var u usersJSON
	h.json(&u, "users", "list", "--app", "chat:2")
	require.Equal(t, usersJSON{App: "chat:2", Users: []string{"dave"}}, u)

	h.json(&u, "users", "list", "--app", "none")
	require.Empty(t, u.Users)
	require.NotNil(t, u.Users, "an empty list, not null")

	require.Equal(t, exitUsage, h.run("users", "list").code)
}
