package httpapi_test

import (
	"bufio"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/testredis"
	"github.com/sessionguard/sessionguard/store"
)

// replayExpected is the summary that comes with the recorded stream.
type replayExpected struct {
	App          string         `json:"app"`
	User         string         `json:"user"`
	EventsTotal  int            `json:"events_total"`
	EventsStored int            `json:"events_stored"`
	FinalState   map[string]any `json:"final_state"`
}

// TestADKReplay posts a recorded ADK coding-agent conversation event by
// event and checks that the session reads back as ADK would hold it:
// every non-partial event as sent, temp: state dropped, unknown fields
// kept, and the final state exact.
func TestADKReplay(t *testing.T) {
	lines := readLines(t, "../../testdata/adk-coding-agent-session.jsonl")
	var want replayExpected
	raw, err := os.ReadFile(
		"../../testdata/adk-coding-agent-session.expected.json")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &want))
	require.Len(t, lines, want.EventsTotal)

	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		c := newClient(t, b, store.Options{})
		s := c.create(want.App, want.User, nil)
		var kept []map[string]any
		for _, line := range lines {
			r := c.do("POST", s.path+"/events", s.token, line)
			require.Equal(t, http.StatusOK, r.status, string(r.body))
			in := asStored(t, line)
			require.Equal(t, in, r.object(t))
			if in["partial"] != true {
				kept = append(kept, in)
			}
		}
		require.Len(t, kept, want.EventsStored)

		r := c.do("GET", s.path, s.token, nil)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		got := r.object(t)
		require.Equal(t, want.FinalState, got["state"])
		events := got["events"].([]any)
		require.Len(t, events, want.EventsStored)
		for i, ev := range events {
			require.Equal(t, kept[i], ev, "event %d", i)
		}
	})
}

// asStored decodes an event line as the store keeps it: without the
// temp: keys of its state delta.
func asStored(t *testing.T, line string) map[string]any {
	var ev map[string]any
	require.NoError(t, json.Unmarshal([]byte(line), &ev))
	actions, _ := ev["actions"].(map[string]any)
	delta, _ := actions["stateDelta"].(map[string]any)
	for k := range delta {
		if strings.HasPrefix(k, "temp:") {
			delete(delta, k)
		}
	}
	return ev
}

func readLines(t *testing.T, path string) []string {
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			lines = append(lines, line)
		}
	}
	require.NoError(t, sc.Err())
	return lines
}
