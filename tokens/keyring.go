package tokens

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"strings"
)

// Keyring holds the server keys. The first is current: it makes new
// hashes and owner tags. The others only verify, so tokens issued and
// stored under them keep working while keys rotate. A Keyring is
// immutable and safe for concurrent use.
type Keyring struct {
	keys []ringKey
}

// ringKey is a Key owned by a Keyring. It keeps the secret only inside
// the newMAC closure: fmt prints funcs as addresses, so printing a
// Keyring, with any verb at any depth, never shows a secret.
type ringKey struct {
	id     string
	newMAC func() hash.Hash
}

// newRingKey copies secret, so later changes by the caller are ignored.
func newRingKey(id string, secret []byte) ringKey {
	secret = bytes.Clone(secret)
	return ringKey{id: id, newMAC: func() hash.Hash {
		return hmac.New(sha256.New, secret)
	}}
}

// NewKeyring returns a keyring of keys, current first. It copies the
// secrets. No keys is an error wrapping ErrNoKey; a bad id, a short
// secret or a duplicate id is an error wrapping ErrBadKey.
func NewKeyring(keys ...Key) (*Keyring, error) {
	if len(keys) == 0 {
		return nil, ErrNoKey
	}
	for i, k := range keys {
		if err := checkKey(k); err != nil {
			return nil, fmt.Errorf("%w: key %d: %w", ErrBadKey, i+1, err)
		}
	}
	if err := checkDuplicates(keys); err != nil {
		return nil, err
	}
	ring := &Keyring{keys: make([]ringKey, len(keys))}
	for i, k := range keys {
		ring.keys[i] = newRingKey(k.ID, k.Secret)
	}
	return ring, nil
}

// RandomKeyring returns a keyring of one fresh random key with id
// "ephemeral". Its hashes die with the process, so use it only for
// embedded demo or test stores.
func RandomKeyring() *Keyring {
	secret := make([]byte, minSecretLen)
	// rand.Read never returns an error; it aborts the program instead.
	_, _ = rand.Read(secret)
	return &Keyring{keys: []ringKey{newRingKey("ephemeral", secret)}}
}

// current returns the current key, or nil for a nil or empty keyring.
func (k *Keyring) current() *ringKey {
	if k == nil || len(k.keys) == 0 {
		return nil
	}
	return &k.keys[0]
}

// CurrentID returns the id of the current key, or "" for a nil keyring.
func (k *Keyring) CurrentID() string {
	if cur := k.current(); cur != nil {
		return cur.id
	}
	return ""
}

// New generates a token owned by owner, an opaque caller string (the
// store's per-user tag). Its owner tag is made with the current key. The
// only error is ErrNoKey, for a nil or zero Keyring.
func (k *Keyring) New(owner string) (Token, error) {
	cur := k.current()
	if cur == nil {
		return Token{}, ErrNoKey
	}
	return generate(cur, cur.ownerTag(owner)), nil
}

// Genuine reports whether tok was made by New under a key of the ring:
// its mint MAC checks out. A well-formed token that is not genuine was
// forged or guessed, or made under a key since dropped from the ring.
// It is false for the zero Token.
func (k *Keyring) Genuine(tok Token) bool {
	if k == nil || tok.IsZero() {
		return false
	}
	body := tok.body()
	got := body[bodyLen-mintLen:]
	for _, key := range k.keys {
		want := key.mint(body[:bodyLen-mintLen])
		if hmac.Equal(want[:], got) {
			return true
		}
	}
	return false
}

// Owns reports whether tok's owner tag matches owner under any key of
// the ring, comparing in constant time. It is false for the zero Token.
// For a Genuine token, false means another user's token (403); a token
// that is not Genuine, or fails Parse, was never issued (401).
func (k *Keyring) Owns(tok Token, owner string) bool {
	if k == nil || tok.IsZero() {
		return false
	}
	got := tok.ownerTag()
	for _, key := range k.keys {
		tag := key.ownerTag(owner)
		if hmac.Equal(tag[:], got) {
			return true
		}
	}
	return false
}

// Hash returns the stored form of tok under the current key:
// kid + ":" + lowercase hex HMAC-SHA256(secret, tok.Reveal()). It is
// deterministic, so a store can look the token up by it. It returns ""
// for the zero Token or a nil keyring.
func (k *Keyring) Hash(tok Token) string {
	cur := k.current()
	if cur == nil || tok.IsZero() {
		return ""
	}
	return cur.hash(tok)
}

// Hashes returns the stored forms of tok under every key, current first,
// so a store can find a token stored under any key while keys rotate.
// It returns nil for the zero Token or a nil keyring.
func (k *Keyring) Hashes(tok Token) []string {
	if k == nil || tok.IsZero() {
		return nil
	}
	out := make([]string, len(k.keys))
	for i, key := range k.keys {
		out[i] = key.hash(tok)
	}
	return out
}

// Fingerprint returns Fingerprint(k.Hash(tok)): a short, non-secret id
// of tok for logs and audit.
func (k *Keyring) Fingerprint(tok Token) string {
	return Fingerprint(k.Hash(tok))
}

// Fingerprint returns a short non-secret identifier of a stored hash:
// kid + ":" + the first 16 hex chars of the HMAC part. It is safe for
// logs, audit and admin tools. It returns "" for input not of the form
// Keyring.Hash returns.
func Fingerprint(stored string) string {
	id, mac, ok := strings.Cut(stored, ":")
	if !ok || !validID(id) || !isHashHex(mac) {
		return ""
	}
	return id + ":" + mac[:16]
}

// isHashHex reports whether s is a lowercase hex SHA-256 sum.
func isHashHex(s string) bool {
	if len(s) != 2*sha256.Size {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// ownerTag returns the first 8 bytes of HMAC(secret, "owner\x00"+owner).
// The domain prefix keeps owner tags apart from token hashes, whose
// input always starts with "sgt_".
func (r *ringKey) ownerTag(owner string) [tagLen]byte {
	m := r.newMAC()
	m.Write([]byte("owner\x00"))
	m.Write([]byte(owner))
	var tag [tagLen]byte
	copy(tag[:], m.Sum(nil))
	return tag
}

// mint returns the first 8 bytes of HMAC(secret, "mint\x00"+head),
// where head is a token body up to its mint field.
func (r *ringKey) mint(head []byte) [mintLen]byte {
	m := r.newMAC()
	m.Write([]byte("mint\x00"))
	m.Write(head)
	var out [mintLen]byte
	copy(out[:], m.Sum(nil))
	return out
}

// hash returns kid + ":" + hex HMAC(secret, token text).
func (r *ringKey) hash(tok Token) string {
	m := r.newMAC()
	m.Write([]byte(tok.Reveal()))
	return r.id + ":" + hex.EncodeToString(m.Sum(nil))
}
