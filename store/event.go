package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Event is one ADK event: a user message, a model reply, a tool call or
// result, a state change. Fields the store does not interpret are kept
// in Extra exactly as they came and written back unchanged.
type Event struct {
	ID           string
	InvocationID string
	Author       string
	// Timestamp is in Unix seconds. Zero means "now": the store stamps
	// the event with Redis's clock.
	Timestamp float64
	// Partial events (streamed chunks) are returned but never stored.
	Partial bool
	Actions Actions
	Content json.RawMessage
	Extra   map[string]json.RawMessage
}

// Actions is an event's side effects. The store applies StateDelta and
// keeps every other action in Extra.
type Actions struct {
	// StateDelta maps state keys to JSON values; a JSON null deletes the
	// key. Key prefixes choose the scope: "app:" (shared by the app),
	// "user:" (shared by the user's sessions in the app), "temp:" (never
	// stored), none (this session).
	StateDelta map[string]json.RawMessage
	Extra      map[string]json.RawMessage
}

var eventFields = []string{"id", "invocationId", "author", "timestamp",
	"partial", "actions", "content"}

// UnmarshalJSON reads ADK's camelCase event shape. The timestamp may be
// float seconds or an RFC 3339 string.
func (e *Event) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	if m == nil {
		return fmt.Errorf("event is null")
	}
	*e = Event{}
	if err := e.readKnown(m); err != nil {
		return err
	}
	for _, f := range eventFields {
		delete(m, f)
	}
	if len(m) > 0 {
		e.Extra = m
	}
	return nil
}

func (e *Event) readKnown(m map[string]json.RawMessage) error {
	fields := []struct {
		name string
		dst  any
	}{
		{"id", &e.ID}, {"invocationId", &e.InvocationID},
		{"author", &e.Author}, {"partial", &e.Partial},
		{"actions", &e.Actions},
	}
	for _, f := range fields {
		if raw, ok := m[f.name]; ok && !isNull(raw) {
			if err := json.Unmarshal(raw, f.dst); err != nil {
				return fmt.Errorf("event field %s: %w", f.name, err)
			}
		}
	}
	if raw, ok := m["content"]; ok && !isNull(raw) {
		e.Content = append(json.RawMessage(nil), raw...)
	}
	if raw, ok := m["timestamp"]; ok && !isNull(raw) {
		ts, err := parseTimestamp(raw)
		if err != nil {
			return err
		}
		e.Timestamp = ts
	}
	return nil
}

func parseTimestamp(raw json.RawMessage) (float64, error) {
	var f float64
	if err := json.Unmarshal(raw, &f); err == nil {
		return f, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return 0, fmt.Errorf("event timestamp %s is neither seconds nor "+
			"an RFC 3339 string", raw)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return 0, fmt.Errorf("event timestamp %q is not RFC 3339", s)
	}
	return float64(t.UnixNano()) / 1e9, nil
}

// MarshalJSON writes ADK's camelCase shape, timestamp in float seconds.
func (e Event) MarshalJSON() ([]byte, error) {
	m := make(map[string]any, len(e.Extra)+len(eventFields))
	for k, v := range e.Extra {
		m[k] = v
	}
	m["id"] = e.ID
	if e.InvocationID != "" {
		m["invocationId"] = e.InvocationID
	}
	m["author"] = e.Author
	if e.Timestamp != 0 {
		m["timestamp"] = json.RawMessage(formatSeconds(e.Timestamp))
	}
	if e.Partial {
		m["partial"] = true
	}
	m["actions"] = e.Actions
	if len(e.Content) > 0 {
		m["content"] = e.Content
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads an actions object, keeping unknown actions.
func (a *Actions) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*a = Actions{}
	if raw, ok := m["stateDelta"]; ok && !isNull(raw) {
		if err := json.Unmarshal(raw, &a.StateDelta); err != nil {
			return fmt.Errorf("stateDelta: %w", err)
		}
	}
	delete(m, "stateDelta")
	if len(m) > 0 {
		a.Extra = m
	}
	return nil
}

// MarshalJSON writes the actions object; stateDelta is always present.
func (a Actions) MarshalJSON() ([]byte, error) {
	m := make(map[string]any, len(a.Extra)+1)
	for k, v := range a.Extra {
		m[k] = v
	}
	delta := a.StateDelta
	if delta == nil {
		delta = map[string]json.RawMessage{}
	}
	m["stateDelta"] = delta
	return json.Marshal(m)
}

func isNull(raw json.RawMessage) bool {
	return bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

func formatSeconds(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}
