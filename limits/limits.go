// Package limits holds the Lua scripts behind every session operation
// and the Go wrappers that run them. Each script checks the caller's
// token, enforces the limits, writes, and refreshes TTLs in one atomic
// call, so a limit holds across any number of pods.
//
// The store package is the public face; callers rarely use limits
// directly. A wrapper returns a *Refusal when the script said no:
//
//	_, err := limits.Append(ctx, rdb, call, args)
//	var r *limits.Refusal
//	if errors.As(err, &r) && r.Status == limits.Conflict { ... }
package limits

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sessionguard/sessionguard/internal/keyspace"
)

// Statuses a script answers with when it refuses an operation.
const (
	Unauthenticated = "UNAUTHENTICATED"
	Forbidden       = "FORBIDDEN"
	NotFound        = "NOT_FOUND"
	Exists          = "EXISTS"
	Conflict        = "CONFLICT"
	Limit           = "LIMIT"
	TooLarge        = "TOO_LARGE"
)

// Refusal is a script's reasoned "no". Detail names the limit for
// Limit and TooLarge, and says what went wrong otherwise.
type Refusal struct {
	Status string
	Detail string
}

func (r *Refusal) Error() string {
	return "limits: " + strings.ToLower(r.Status) + ": " + r.Detail
}

// Policy says what creating a session over the per-user limit does.
type Policy string

// The over-limit policies.
const (
	// Reject refuses the new session with a Limit refusal.
	Reject Policy = "reject"
	// EvictLRU closes the user's least recently used sessions to make room.
	EvictLRU Policy = "evict_lru"
)

// Auth modes of a Call.
const (
	AuthNone  = "none"  // authentication disabled
	AuthAdmin = "admin" // an admin credential, checked by the caller
	AuthToken = "token" // a session token, checked by the script
)

// Call is what every session script needs: whose keys, which session,
// and who is asking.
type Call struct {
	User      keyspace.User
	SessionID string // "" for user-wide calls such as List
	AuthMode  string // AuthNone, AuthAdmin or AuthToken
	// TokenHashes are the stored forms of the presented token under each
	// server key, current key first.
	TokenHashes []string
	// Isolation makes a token open only its own session rather than any
	// session of its user.
	Isolation bool
	Idle      time.Duration
}

func (c Call) keys() []string {
	s := c.User.Session(c.SessionID)
	return append([]string{c.User.Sessions(), c.User.Index(),
		c.User.Expiry(), c.User.Used(), c.User.Tokens(), c.User.State()},
		s.All()...)
}

func (c Call) args(extra ...any) []any {
	iso := "0"
	if c.Isolation {
		iso = "1"
	}
	return append([]any{c.SessionID, c.AuthMode,
		strings.Join(c.TokenHashes, ","), iso, c.Idle.Milliseconds()},
		extra...)
}

// Changes is a set of state writes and deletions for one state hash.
// Values are stored as given (JSON text).
type Changes struct {
	Set [][2]string
	Del []string
}

// flat encodes c as the scripts read it: count, pairs, count, keys.
func (c Changes) flat() []any {
	out := make([]any, 0, 2+2*len(c.Set)+len(c.Del))
	out = append(out, len(c.Set))
	for _, kv := range c.Set {
		out = append(out, kv[0], kv[1])
	}
	out = append(out, len(c.Del))
	for _, k := range c.Del {
		out = append(out, k)
	}
	return out
}

// Meta is a session's metadata as the scripts keep it. Times are Unix
// milliseconds from Redis's clock.
type Meta struct {
	Created  int64  `json:"c"`
	Updated  int64  `json:"u"`
	Version  int64  `json:"v"`
	Events   int64  `json:"n"`
	Bytes    int64  `json:"b"`
	Deadline int64  `json:"d"` // absolute lifetime ends
	Expires  int64  `json:"e"` // idle expiry, never after Deadline
	Gen      string `json:"g"` // incarnation of the session id
}

func ms(d time.Duration) string {
	return strconv.FormatInt(d.Milliseconds(), 10)
}

// reply checks a script reply and returns its elements after the
// status, or the Refusal it carries.
func reply(v any, err error) ([]any, error) {
	if err != nil {
		return nil, err
	}
	arr, ok := v.([]any)
	if !ok || len(arr) < 2 {
		return nil, fmt.Errorf("limits: unexpected script reply %T", v)
	}
	status, _ := arr[0].(string)
	if status != "OK" {
		detail, _ := arr[1].(string)
		return nil, &Refusal{Status: status, Detail: detail}
	}
	return arr[1:], nil
}
