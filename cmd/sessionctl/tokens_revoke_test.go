package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/testredis"
	"github.com/sessionguard/sessionguard/store"
)

func TestTokensRevoke(t *testing.T) {
	h := newHarness(t, testredis.Mini(t))
	ref := store.Ref{App: "chat", User: "alice", ID: "s1"}
	first := h.create(ref.App, ref.User, ref.ID)
	tok2, _, err := h.st.IssueToken(ctx, first, ref)
	require.NoError(t, err)
	second := store.Bearer(tok2)
	fp := h.st.Options().Keys.Fingerprint(tok2)

	out := h.ok("tokens", "revoke", "chat", "alice", "s1",
		"--fingerprint", fp)
	require.Equal(t, "revoked 1 token of chat/alice/s1\n", out)
	require.ErrorIs(t, h.st.Authenticate(ctx, second, ref),
		store.ErrUnauthenticated)
	require.NoError(t, h.st.Authenticate(ctx, first, ref))

	r := h.run("tokens", "revoke", "chat", "alice", "s1",
		"--fingerprint", fp)
	require.Equal(t, exitError, r.code)
	require.Contains(t, r.err, "no live token of chat/alice/s1")

	sess, err := h.st.Get(ctx, store.Admin, ref,
		&store.GetOptions{WithTokens: true})
	require.NoError(t, err)
	var j revokeTokenJSON
	h.json(&j, "tokens", "revoke", "chat", "alice", "s1",
		"--fingerprint", sess.Info.Tokens[0].Fingerprint)
	require.Equal(t, 1, j.Revoked)
	require.ErrorIs(t, h.st.Authenticate(ctx, first, ref),
		store.ErrUnauthenticated)
}

func TestTokensRevokeErrors(t *testing.T) {
	h := newHarness(t, testredis.Mini(t))
	h.create("chat", "alice", "s1")

	r := h.run("tokens", "revoke", "chat", "alice", "nope",
		"--fingerprint", "k1:0123456789abcdef")
	require.Equal(t, exitError, r.code)
	require.Contains(t, r.err, "session not found: chat/alice/nope")

	for _, args := range [][]string{
		{"tokens", "revoke", "chat", "alice", "s1"},
		{"tokens", "revoke", "chat", "alice", "s1", "--fingerprint", "k1"},
		{"tokens", "revoke", "chat", "alice", "--fingerprint", "k1:0123456"},
	} {
		require.Equal(t, exitUsage, h.run(args...).code, args)
	}
}
