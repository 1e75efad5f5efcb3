package tokens

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
)

// Key limits.
const (
	maxIDLen     = 16
	minSecretLen = 32
)

// Key is one HMAC key: ID is 1-16 chars of [a-z0-9] and names the key in
// stored hashes; Secret is at least 32 bytes. A Key redacts its Secret
// when printed, logged or marshalled, except as an unexported struct
// field, where fmt prints fields raw: don't keep Keys in one; hand them
// to NewKeyring, whose Keyring never prints a secret.
type Key struct {
	ID     string
	Secret []byte
}

// ParseKey parses "kid:base64secret", the secret in standard or URL
// base64, padded or not; surrounding whitespace is ignored. Errors wrap
// ErrBadKey, say what is wrong and never contain the secret.
func ParseKey(s string) (Key, error) {
	k, err := parseKey(s)
	if err != nil {
		return Key{}, fmt.Errorf("%w: %w", ErrBadKey, err)
	}
	return k, nil
}

// ParseKeys parses a list of ParseKey specs, current key first, as
// NewKeyring wants them. An empty list is an error wrapping ErrNoKey; a
// bad spec or a duplicate id is an error wrapping ErrBadKey.
func ParseKeys(specs []string) ([]Key, error) {
	if len(specs) == 0 {
		return nil, fmt.Errorf("%w: empty key list", ErrNoKey)
	}
	keys := make([]Key, len(specs))
	for i, s := range specs {
		k, err := parseKey(s)
		if err != nil {
			return nil, fmt.Errorf("%w: spec %d: %w", ErrBadKey, i+1, err)
		}
		keys[i] = k
	}
	if err := checkDuplicates(keys); err != nil {
		return nil, err
	}
	return keys, nil
}

// parseKey is ParseKey without the sentinel, so callers can add context.
func parseKey(s string) (Key, error) {
	id, enc, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		// Without a colon the whole spec may be a secret: name nothing.
		return Key{}, errors.New("want \"id:base64secret\"")
	}
	if !validID(id) {
		return Key{}, errBadID
	}
	secret, ok := decodeBase64(enc)
	if !ok {
		return Key{}, fmt.Errorf("key %q: secret is not base64", id)
	}
	k := Key{ID: id, Secret: secret}
	return k, checkKey(k)
}

// errBadID does not quote the id: a mangled spec may put a secret there.
var errBadID = errors.New("id must be 1-16 chars of [a-z0-9]")

// decodeBase64 accepts the four common base64 spellings. They agree on
// every input more than one of them accepts, so order does not matter.
func decodeBase64(s string) ([]byte, bool) {
	for _, enc := range []*base64.Encoding{
		base64.StdEncoding, base64.RawStdEncoding,
		base64.URLEncoding, base64.RawURLEncoding,
	} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, true
		}
	}
	return nil, false
}

// checkKey validates one key's id and secret length.
func checkKey(k Key) error {
	if !validID(k.ID) {
		return errBadID
	}
	if len(k.Secret) < minSecretLen {
		return fmt.Errorf("key %q: secret is %d bytes, want at least %d",
			k.ID, len(k.Secret), minSecretLen)
	}
	return nil
}

// checkDuplicates rejects two keys with one id: a stored hash names its
// key by id, so ids must be unambiguous.
func checkDuplicates(keys []Key) error {
	seen := make(map[string]bool, len(keys))
	for _, k := range keys {
		if seen[k.ID] {
			return fmt.Errorf("%w: duplicate id %q", ErrBadKey, k.ID)
		}
		seen[k.ID] = true
	}
	return nil
}

// validID reports whether id is 1-16 chars of [a-z0-9].
func validID(id string) bool {
	if id == "" || len(id) > maxIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// String returns "kid:[redacted]"; it never contains the secret.
func (k Key) String() string { return k.ID + ":[redacted]" }

// Format writes the redacted String for every verb, so printing a Key,
// even with %#v or %x, never shows the secret.
func (k Key) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, k.String())
}

// LogValue returns the redacted String, so slog never logs the secret.
func (k Key) LogValue() slog.Value { return slog.StringValue(k.String()) }

// MarshalJSON returns {"ID":id}, leaving the secret out.
func (k Key) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct{ ID string }{k.ID})
}
