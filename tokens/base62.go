package tokens

// alphabet is the base62 digit set, in value order.
const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// encode62 writes src, a big-endian number, as exactly len(dst) base62
// digits, left-padded with '0'. Fixed width keeps every token the same
// length; callers size dst so the number always fits.
func encode62(dst, src []byte) {
	num := append([]byte(nil), src...) // divided in place
	for i := len(dst) - 1; i >= 0; i-- {
		var rem uint
		for j, b := range num {
			cur := rem<<8 | uint(b)
			num[j] = byte(cur / 62)
			rem = cur % 62
		}
		dst[i] = alphabet[rem]
	}
}

// decode62 parses src, base62 digits already checked by isDigit62, into
// the big-endian number dst. It reports false if the value does not fit
// in dst, because a fixed-width field can spell values above its range.
func decode62(dst []byte, src string) bool {
	clear(dst)
	for i := 0; i < len(src); i++ {
		carry := uint(digit62(src[i]))
		for j := len(dst) - 1; j >= 0; j-- {
			cur := uint(dst[j])*62 + carry
			dst[j] = byte(cur)
			carry = cur >> 8
		}
		if carry != 0 {
			return false
		}
	}
	return true
}

// isDigit62 reports whether c is in the base62 alphabet.
func isDigit62(c byte) bool {
	return '0' <= c && c <= '9' || 'A' <= c && c <= 'Z' ||
		'a' <= c && c <= 'z'
}

// digit62 returns the value of c, which must satisfy isDigit62.
func digit62(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'Z':
		return c - 'A' + 10
	default:
		return c - 'a' + 36
	}
}
