// Package tokens issues and checks sessionguard session tokens.
//
// A token looks like "sgt_" followed by 51 base62 characters. It carries
// 128 random bits, an owner tag, a mint MAC that shows this server made
// it, and a checksum, so typos are rejected by Parse without touching
// Redis. The server never stores a token: it
// stores Keyring.Hash(tok), an HMAC under a rotating server key.
//
//	ring, _ := tokens.NewKeyring(current, previous) // or RandomKeyring()
//	tok, _ := ring.New(owner)        // give tok.Reveal() to the client once
//	stored := ring.Hash(tok)         // persist this
//	tok, err := tokens.Parse(header) // later: errors.Is(err, ErrMalformed)
//	ok := ring.Owns(tok, owner)      // false: token of another user
//	cands := ring.Hashes(tok)        // look up under every key while rotating
//
// Token values redact themselves when printed, logged or marshalled to
// JSON; Reveal is the only way to get the secret text.
package tokens

import "errors"

// Sentinel errors. Every error of this package wraps one of them, so
// callers branch with errors.Is and never on message text.
var (
	// ErrMalformed reports a string that is not a well-formed token:
	// wrong prefix, length, alphabet, checksum or version.
	ErrMalformed = errors.New("tokens: malformed token")
	// ErrNoKey reports a missing key, e.g. an empty key list or keyring.
	ErrNoKey = errors.New("tokens: no key")
	// ErrBadKey reports an invalid key: bad id, short secret, bad base64
	// or a duplicate id.
	ErrBadKey = errors.New("tokens: bad key")
)
