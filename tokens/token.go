package tokens

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"strings"
)

// Layout of a token. The widths are the fewest base62 digits that hold
// every value of the field (62^45 >= 2^264, 62^6 >= 2^32).
const (
	prefix    = "sgt_"
	version   = 1
	tagLen    = 8
	randLen   = 16 // 128 bits of entropy
	mintLen   = 8  // a MAC that shows this server made the token
	bodyLen   = 1 + tagLen + randLen + mintLen
	bodyChars = 45
	sumChars  = 6
	tokenLen  = len(prefix) + bodyChars + sumChars
)

// Token is a session token. The zero Token is "no token". Tokens are
// immutable and safe to share; they redact themselves when printed,
// logged or marshalled, and Reveal is the only way to read the secret.
//
// Tokens cannot be compared with ==; use Equal.
type Token struct {
	// noCompare makes == a compile error: text is a pointer, so ==
	// would compare identity, not value.
	noCompare [0]func()
	// text is a pointer because fmt prints a pointer to a string as an
	// address, at any depth and for any verb: a Token in an unexported
	// struct field, where fmt cannot call Format, still does not leak.
	text *string
}

// Parse checks that s is a well-formed token: prefix, length, alphabet,
// checksum and version. It does not check that the token exists or who
// owns it. Errors wrap ErrMalformed, say what was wrong and never
// contain s.
func Parse(s string) (Token, error) {
	if reason := check(s); reason != "" {
		return Token{}, fmt.Errorf("%w: %s", ErrMalformed, reason)
	}
	var body [bodyLen]byte
	if !decode62(body[:], s[len(prefix):len(prefix)+bodyChars]) {
		return Token{}, fmt.Errorf("%w: body out of range", ErrMalformed)
	}
	if !checksumOK(s) {
		return Token{}, fmt.Errorf("%w: bad checksum", ErrMalformed)
	}
	if body[0] != version {
		return Token{}, fmt.Errorf("%w: unsupported version %d",
			ErrMalformed, body[0])
	}
	// Clone so a token does not pin the request buffer s may slice.
	return newToken(strings.Clone(s)), nil
}

// check returns why s has the wrong shape, or "" if the shape is right.
// Reasons quote positions and lengths only, never content.
func check(s string) string {
	switch {
	case s == "":
		return "empty"
	case !strings.HasPrefix(s, prefix):
		return "missing " + prefix + " prefix"
	case len(s) != tokenLen:
		return fmt.Sprintf("length %d, want %d", len(s), tokenLen)
	}
	for i := len(prefix); i < len(s); i++ {
		if !isDigit62(s[i]) {
			return fmt.Sprintf("invalid character at offset %d", i)
		}
	}
	return ""
}

// checksumOK reports whether the trailing checksum of s, a token of the
// right shape, matches the text before it.
func checksumOK(s string) bool {
	var got [4]byte
	if !decode62(got[:], s[tokenLen-sumChars:]) {
		return false
	}
	want := crc32.ChecksumIEEE([]byte(s[:tokenLen-sumChars]))
	return binary.BigEndian.Uint32(got[:]) == want
}

// generate builds a fresh token carrying tag, minted under key.
func generate(key *ringKey, tag [tagLen]byte) Token {
	var body [bodyLen]byte
	body[0] = version
	copy(body[1:], tag[:])
	// rand.Read never returns an error; it aborts the program instead.
	_, _ = rand.Read(body[1+tagLen : 1+tagLen+randLen])
	mint := key.mint(body[:bodyLen-mintLen])
	copy(body[bodyLen-mintLen:], mint[:])
	return newToken(format(body))
}

// format returns the text of the token whose body is body.
func format(body [bodyLen]byte) string {
	buf := make([]byte, tokenLen)
	copy(buf, prefix)
	encode62(buf[len(prefix):tokenLen-sumChars], body[:])
	var sum [4]byte
	binary.BigEndian.PutUint32(sum[:],
		crc32.ChecksumIEEE(buf[:tokenLen-sumChars]))
	encode62(buf[tokenLen-sumChars:], sum[:])
	return string(buf)
}

// newToken wraps text, a well-formed token.
func newToken(text string) Token { return Token{text: &text} }

// body returns the decoded body of t, which must not be zero. Decoding
// again is cheap next to the HMAC its parts are compared with.
func (t Token) body() [bodyLen]byte {
	var body [bodyLen]byte
	decode62(body[:], (*t.text)[len(prefix):len(prefix)+bodyChars])
	return body
}

// ownerTag returns the owner tag inside t, which must not be zero.
func (t Token) ownerTag() []byte {
	body := t.body()
	return body[1 : 1+tagLen]
}

// Reveal returns the secret text of t, or "" for the zero Token. Call it
// only to hand the token to its client; store Keyring.Hash instead.
func (t Token) Reveal() string {
	if t.text == nil {
		return ""
	}
	return *t.text
}

// IsZero reports whether t is the zero Token.
func (t Token) IsZero() bool { return t.text == nil }

// Equal reports whether t and u have the same text, in constant time.
// Two zero Tokens are equal.
func (t Token) Equal(u Token) bool {
	a, b := t.Reveal(), u.Reveal()
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
