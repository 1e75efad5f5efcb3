package keyspace

import (
	"errors"
	"strings"
)

// ErrMalformed is returned by Decode for text that Encode could not
// have produced.
var ErrMalformed = errors.New("keyspace: malformed key")

// Decode reverses Encode. It accepts only Encode's exact output, so a
// decoded id always maps back to the key it came from; anything else
// (lowercase or stray escapes, reserved characters) is ErrMalformed.
func Decode(s string) (string, error) {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+2 >= len(s) {
			return "", ErrMalformed
		}
		hi, lo := unhex(s[i+1]), unhex(s[i+2])
		if hi < 0 || lo < 0 {
			return "", ErrMalformed
		}
		b.WriteByte(byte(hi<<4 | lo))
		i += 2
	}
	if out := b.String(); Encode(out) == s {
		return out, nil
	}
	return "", ErrMalformed
}

// unhex returns the value of an uppercase hex digit, or -1.
func unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}
