package store

import (
	"encoding/json"
	"time"

	"github.com/sessionguard/sessionguard/limits"
)

// AnyVersion, as a Session's Version, makes AppendEvent skip the
// optimistic concurrency check.
const AnyVersion int64 = -1

// Session is one conversation. Its JSON form is ADK's: id, appName,
// userId, state, events, lastUpdateTime (float seconds).
type Session struct {
	ID      string `json:"id"`
	AppName string `json:"appName"`
	UserID  string `json:"userId"`
	// State merges the session's own state with the current app: and
	// user: state.
	State  map[string]json.RawMessage `json:"state"`
	Events []*Event                   `json:"events"`
	// LastUpdateTime is when an event was last appended (or the session
	// created), Unix seconds by Redis's clock.
	LastUpdateTime float64 `json:"lastUpdateTime"`

	// Version counts the session's stored changes. An append from a copy
	// whose Version is not the stored one fails with ErrConflict.
	Version int64 `json:"-"`
	// Info is the session's bookkeeping.
	Info Info `json:"-"`
}

// Info is a session's bookkeeping, for operators.
type Info struct {
	Created    time.Time
	Expires    time.Time // idle expiry, extended by activity
	Deadline   time.Time // absolute end, never extended
	EventCount int64
	Bytes      int64 // stored events plus session state
	Tokens     []TokenInfo
	LiveTokens int // in listings only, when counted
}

// TokenInfo describes a live token without revealing it.
type TokenInfo struct {
	Fingerprint string
	Expires     time.Time
}

// Ref returns the session's address.
func (s *Session) Ref() Ref {
	return Ref{App: s.AppName, User: s.UserID, ID: s.ID}
}

func newSession(ref Ref, m limits.Meta) *Session {
	return &Session{
		ID: ref.ID, AppName: ref.App, UserID: ref.User,
		State:          map[string]json.RawMessage{},
		Events:         []*Event{},
		LastUpdateTime: float64(m.Updated) / 1000,
		Version:        m.Version,
		Info: Info{
			Created:    time.UnixMilli(m.Created),
			Expires:    time.UnixMilli(m.Expires),
			Deadline:   time.UnixMilli(m.Deadline),
			EventCount: m.Events,
			Bytes:      m.Bytes,
		},
	}
}

func (s *Session) mergeState(scopes ...map[string]string) {
	for _, scope := range scopes {
		for k, v := range scope {
			s.State[k] = json.RawMessage(v)
		}
	}
}
