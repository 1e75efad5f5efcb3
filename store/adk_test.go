package store_test

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/testredis"
	"github.com/sessionguard/sessionguard/store"
)

type expected struct {
	App          string                     `json:"app"`
	User         string                     `json:"user"`
	EventsTotal  int                        `json:"events_total"`
	EventsStored int                        `json:"events_stored"`
	FinalState   map[string]json.RawMessage `json:"final_state"`
}

// recording reads the recorded ADK conversation: each line raw, and
// what its replay must leave behind.
func recording(t *testing.T) ([]json.RawMessage, expected) {
	t.Helper()
	f, err := os.Open("../testdata/adk-coding-agent-session.jsonl")
	require.NoError(t, err)
	defer f.Close()
	var lines []json.RawMessage
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		lines = append(lines, json.RawMessage(append([]byte(nil),
			sc.Bytes()...)))
	}
	require.NoError(t, sc.Err())
	raw, err := os.ReadFile("../testdata/adk-coding-agent-session.expected.json")
	require.NoError(t, err)
	var want expected
	require.NoError(t, json.Unmarshal(raw, &want))
	require.Len(t, lines, want.EventsTotal)
	return lines, want
}

// withoutTemp is a recorded event as it must be stored: temp: keys out
// of its state delta. It returns false for events never stored.
func withoutTemp(t *testing.T, line json.RawMessage) (map[string]any, bool) {
	var ev map[string]any
	require.NoError(t, json.Unmarshal(line, &ev))
	if ev["partial"] == true {
		return nil, false
	}
	if actions, ok := ev["actions"].(map[string]any); ok {
		if delta, ok := actions["stateDelta"].(map[string]any); ok {
			for k := range delta {
				if len(k) >= 5 && k[:5] == "temp:" {
					delete(delta, k)
				}
			}
		}
	}
	return ev, true
}

func TestReplayADKConversation(t *testing.T) {
	lines, want := recording(t)
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		st := newStore(t, b, store.Options{})
		sess, tok, err := st.Create(ctx, want.App, want.User,
			store.CreateOptions{})
		require.NoError(t, err)
		cred := store.Bearer(tok)
		for _, line := range lines {
			var ev store.Event
			require.NoError(t, json.Unmarshal(line, &ev))
			_, err := st.AppendEvent(ctx, cred, sess, &ev)
			require.NoError(t, err)
		}
		got, err := st.Get(ctx, cred, sess.Ref(), nil)
		require.NoError(t, err)
		require.Len(t, got.Events, want.EventsStored)

		var stored []map[string]any
		for _, line := range lines {
			if ev, ok := withoutTemp(t, line); ok {
				stored = append(stored, ev)
			}
		}
		gotJSON, err := json.Marshal(got.Events)
		require.NoError(t, err)
		wantJSON, err := json.Marshal(stored)
		require.NoError(t, err)
		require.JSONEq(t, string(wantJSON), string(gotJSON))

		wantState, err := json.Marshal(want.FinalState)
		require.NoError(t, err)
		gotState, err := json.Marshal(got.State)
		require.NoError(t, err)
		require.JSONEq(t, string(wantState), string(gotState))
		require.Equal(t, got.State, sess.State,
			"the appending copy ends in the same state")
	})
}
