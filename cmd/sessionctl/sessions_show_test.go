package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/testredis"
	"github.com/sessionguard/sessionguard/store"
)

// sampleSession creates coder/alice/conv-1 holding the recorded
// conversation plus state in every scope, and returns its token and
// number of stored events.
func sampleSession(h *harness) (store.Ref, string, int) {
	ref := store.Ref{App: "coder", User: "alice", ID: "conv-1"}
	_, tok, err := h.st.Create(ctx, ref.App, ref.User, store.CreateOptions{
		ID: ref.ID, State: map[string]json.RawMessage{
			"topic": json.RawMessage(`"stats.py"`)}})
	require.NoError(h.t, err)
	return ref, tok.Reveal(), h.appendSample(store.Bearer(tok), ref)
}

func TestSessionsShow(t *testing.T) {
	h := newHarness(t, testredis.Mini(t))
	ref, tok, stored := sampleSession(h)
	sess, err := h.st.Get(ctx, store.Admin, ref,
		&store.GetOptions{WithTokens: true})
	require.NoError(t, err)
	fp := sess.Info.Tokens[0].Fingerprint
	last := sess.Events[len(sess.Events)-1]

	out := h.ok("sessions", "show", "coder", "alice", "conv-1")
	require.NotContains(t, out, tok, "a token must never be printed")
	for _, want := range []string{
		"Session:      coder/alice/conv-1",
		"app      app:model_version        \"gemini-2.5-pro\"",
		"user     user:preferred_language  \"es\"",
		"session  topic",
		"EVENTS (last 10 of 13)",
		"call apply_patch()",
		last.ID + "  code_agent",
		"FINGERPRINT", fp,
	} {
		require.Contains(t, out, want)
	}
	require.Equal(t, 13, stored)

	var s showJSON
	h.json(&s, "sessions", "show", "coder", "alice", "conv-1",
		"--events", "3")
	require.Len(t, s.Events, 3)
	require.Equal(t, last.ID, s.Events[2].ID)
	require.JSONEq(t, string(last.Content), string(s.Events[2].Content))
	require.EqualValues(t, stored, s.EventCount)
	require.Equal(t, sess.Version, s.Version)
	require.Equal(t, `"gemini-2.5-pro"`,
		string(s.State["app"]["app:model_version"]))
	require.Equal(t, `"stats.py"`, string(s.State["session"]["topic"]))
	require.NotContains(t, s.State["session"], "user:preferred_language")
	require.Len(t, s.Tokens, 1)
	require.Equal(t, fp, s.Tokens[0].Fingerprint)
	require.Equal(t, 1, s.LiveTokens)
}

func TestSessionsShowMissing(t *testing.T) {
	h := newHarness(t, testredis.Mini(t))
	r := h.run("sessions", "show", "coder", "alice", "nope")
	require.Equal(t, exitError, r.code)
	require.Equal(t, "sessionctl: session not found: coder/alice/nope\n",
		r.err)
	require.Empty(t, r.out)

	r = h.run("sessions", "show", "coder", "alice")
	require.Equal(t, exitUsage, r.code)
	r = h.run("sessions", "show", "coder", "alice", "x", "--events", "-1")
	require.Equal(t, exitUsage, r.code)
}

func TestSummary(t *testing.T) {
	tests := []struct{ content, want string }{
		{`{"parts":[{"text":"hello\n  world"}]}`, "hello world"},
		{`{"parts":[{"text":"look"},{"functionCall":{"name":"read"}}]}`,
			"look | call read()"},
		{`{"parts":[{"functionResponse":{"name":"read"}}]}`,
			"result of read()"},
		{`{"other":1}`, `{"other":1}`},
		{`{"parts":[{"text":"` + strings.Repeat("x", 100) + `"}]}`,
			strings.Repeat("x", contentWidth-1) + "…"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, summary(json.RawMessage(tt.content)))
	}
}
