package store

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"

	"github.com/sessionguard/sessionguard/limits"
)

// State key prefixes that choose a scope.
const (
	AppPrefix  = "app:"
	UserPrefix = "user:"
	TempPrefix = "temp:"
)

// scoped is a state delta split by scope.
type scoped struct {
	session, user, app limits.Changes
}

// splitDelta sorts delta into scopes; temp: keys are dropped and a
// JSON null deletes. Keys are handled in sorted order so the same
// delta always makes the same script call.
func splitDelta(delta map[string]json.RawMessage) (scoped, error) {
	var out scoped
	keys := make([]string, 0, len(delta))
	for k := range delta {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := delta[k]
		if k == "" {
			return out, invalid("state key is empty")
		}
		if !json.Valid(v) {
			return out, invalid("state value of %q is not JSON", k)
		}
		var c *limits.Changes
		switch {
		case strings.HasPrefix(k, TempPrefix):
			continue
		case strings.HasPrefix(k, AppPrefix):
			c = &out.app
		case strings.HasPrefix(k, UserPrefix):
			c = &out.user
		default:
			c = &out.session
		}
		if isNull(v) {
			c.Del = append(c.Del, k)
		} else {
			c.Set = append(c.Set, [2]string{k, compact(v)})
		}
	}
	return out, nil
}

// storedDelta is delta as it is stored: without its temp: keys, values
// compacted as in the state hashes.
func storedDelta(delta map[string]json.RawMessage) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(delta))
	for k, v := range delta {
		if !strings.HasPrefix(k, TempPrefix) {
			out[k] = json.RawMessage(compact(v))
		}
	}
	return out
}

func compact(v json.RawMessage) string {
	var b bytes.Buffer
	if err := json.Compact(&b, v); err != nil {
		return string(v)
	}
	return b.String()
}
