package keyspace

import "strings"

// Key is what ParseKey reads from the name of a per-user key.
type Key struct {
	User   User   // whose key it is
	App    string // decoded app name
	UserID string // decoded user id
	// SessionID is the decoded session id of a session data key, ""
	// for a per-user key.
	SessionID string
	// Name is the last part of the key: "sessions", "idx", "exp",
	// "used", "tokens" or "state" for a per-user key, and "state",
	// "ev", "ts" or "ids" for a session data key.
	Name string
}

var (
	userNames    = []string{"sessions", "idx", "exp", "used", "tokens", "state"}
	sessionNames = []string{"state", "ev", "ts", "ids"}
)

// ParseKey reads a key name back into its user and, for a session data
// key, its session. It returns false for any name this layout does not
// produce under prefix, including names that only look like it, such as
// ids with escapes that Encode would not have written (see Decode).
func ParseKey(prefix, key string) (Key, bool) {
	head := prefix + ":{u:"
	if !strings.HasPrefix(key, head) {
		return Key{}, false
	}
	end := strings.IndexByte(key[len(head):], '}')
	if end < 0 {
		return Key{}, false
	}
	tag := key[len(head) : len(head)+end]
	base := key[:len(head)+end+1]
	rest, ok := strings.CutPrefix(key[len(base):], ":")
	if !ok {
		return Key{}, false
	}

	var k Key
	var err error
	app, user, ok := strings.Cut(tag, ":")
	if !ok || app == "" || user == "" {
		return Key{}, false
	}
	if k.App, err = Decode(app); err != nil {
		return Key{}, false
	}
	if k.UserID, err = Decode(user); err != nil {
		return Key{}, false
	}
	k.User = User{base: base}

	if !parseName(&k, rest) {
		return Key{}, false
	}
	return k, true
}

// parseName fills k's Name and SessionID from the part of a key after
// the user's base and its colon.
func parseName(k *Key, rest string) bool {
	sess, ok := strings.CutPrefix(rest, "s:")
	if !ok {
		k.Name = rest
		return oneOf(rest, userNames)
	}
	id, name, ok := strings.Cut(sess, ":")
	if !ok || id == "" || !oneOf(name, sessionNames) {
		return false
	}
	dec, err := Decode(id)
	if err != nil {
		return false
	}
	k.SessionID, k.Name = dec, name
	return true
}

func oneOf(s string, set []string) bool {
	for _, x := range set {
		if s == x {
			return true
		}
	}
	return false
}

// IsSessionKey reports whether k is one of a session's data keys.
func (k Key) IsSessionKey() bool { return k.SessionID != "" }

// UserKeysPattern returns the SCAN MATCH pattern of every per-user and
// session data key under prefix, with glob characters in prefix escaped.
// App state keys do not match it.
func UserKeysPattern(prefix string) string {
	var b strings.Builder
	for i := 0; i < len(prefix); i++ {
		switch prefix[i] {
		case '*', '?', '[', ']', '\\':
			b.WriteByte('\\')
		}
		b.WriteByte(prefix[i])
	}
	// '{' is not special to Redis's glob matcher.
	b.WriteString(":{u:*")
	return b.String()
}
