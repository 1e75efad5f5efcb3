// Package keyspace is the Redis key layout of sessionguard.
//
// Every key of one user of one app carries the same hash tag, so every
// script that serves that user runs in one slot of a Redis Cluster:
//
//	<prefix>:{u:<app>:<user>}:sessions      hash  session id -> metadata (JSON)
//	<prefix>:{u:<app>:<user>}:idx           zset  session id -> last update (ms)
//	<prefix>:{u:<app>:<user>}:exp           zset  session id -> expiry (ms)
//	<prefix>:{u:<app>:<user>}:used          zset  session id -> last use (ms)
//	<prefix>:{u:<app>:<user>}:tokens        hash  token hash -> "gen\nexpiry\nsid"
//	<prefix>:{u:<app>:<user>}:state         hash  user: state (permanent)
//	<prefix>:{u:<app>:<user>}:s:<id>:state  hash  session state
//	<prefix>:{u:<app>:<user>}:s:<id>:ev     hash  sequence -> event
//	<prefix>:{u:<app>:<user>}:s:<id>:ts     zset  sequence -> event timestamp
//	<prefix>:{u:<app>:<user>}:s:<id>:ids    hash  event id -> sequence
//	<prefix>:{a:<app>}:state                hash  app: state (permanent)
//
// App names, user ids and session ids pass through Encode, which leaves
// only unreserved characters and %XX escapes: no ':' to confuse the
// separators, no '{' or '}' to move the hash tag, so distinct ids always
// give distinct keys.
package keyspace

import "strings"

// Encode escapes s so that the result holds only [A-Za-z0-9._~-] and
// %XX sequences. It is injective: distinct inputs give distinct outputs.
func Encode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

func unreserved(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return c == '-' || c == '.' || c == '_' || c == '~'
}

// User names the keys of one user of one app.
type User struct {
	base string // "<prefix>:{u:<app>:<user>}"
}

// ForUser returns the key layout of user in app under prefix.
func ForUser(prefix, app, user string) User {
	return User{base: prefix + ":" + UserTag(app, user)}
}

// UserTag returns the hash tag, braces included, of user in app.
func UserTag(app, user string) string {
	return "{u:" + Encode(app) + ":" + Encode(user) + "}"
}

// Base returns the common prefix of every key of this user.
func (u User) Base() string { return u.base }

// Sessions is the hash of session metadata.
func (u User) Sessions() string { return u.base + ":sessions" }

// Index is the sorted set of sessions by last update.
func (u User) Index() string { return u.base + ":idx" }

// Expiry is the sorted set of sessions by expiry time.
func (u User) Expiry() string { return u.base + ":exp" }

// Used is the sorted set of sessions by last use, for LRU eviction.
func (u User) Used() string { return u.base + ":used" }

// Tokens is the hash of token hashes of all the user's sessions.
func (u User) Tokens() string { return u.base + ":tokens" }

// State is the hash of user-scoped state, kept when sessions end.
func (u User) State() string { return u.base + ":state" }

// Session returns the data keys of one session of this user.
func (u User) Session(id string) Session {
	return Session{base: u.base + ":s:" + Encode(id)}
}

// Session names the data keys of one session.
type Session struct {
	base string
}

// State is the hash of session-scoped state.
func (s Session) State() string { return s.base + ":state" }

// Events is the hash of stored events by sequence number.
func (s Session) Events() string { return s.base + ":ev" }

// Times is the sorted set of event sequence numbers by timestamp.
func (s Session) Times() string { return s.base + ":ts" }

// EventIDs is the hash of event id to sequence number.
func (s Session) EventIDs() string { return s.base + ":ids" }

// All returns the session's data keys in the order scripts expect them.
func (s Session) All() []string {
	return []string{s.State(), s.Events(), s.Times(), s.EventIDs()}
}

// AppState returns the key of the app-scoped state hash of app. It has
// a hash tag of its own: app state is shared by every user of the app.
func AppState(prefix, app string) string {
	return prefix + ":{a:" + Encode(app) + "}:state"
}
