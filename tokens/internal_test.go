package tokens

import (
	"math/big"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestWidths checks the fixed widths are the fewest digits that fit.
func TestWidths(t *testing.T) {
	for _, tt := range []struct{ bytes, chars int }{
		{bodyLen, bodyChars},
		{4, sumChars},
	} {
		limit := new(big.Int).Lsh(big.NewInt(1), uint(8*tt.bytes))
		b62 := big.NewInt(62)
		fits := new(big.Int).Exp(b62, big.NewInt(int64(tt.chars)), nil)
		less := new(big.Int).Exp(b62, big.NewInt(int64(tt.chars-1)), nil)
		require.True(t, fits.Cmp(limit) >= 0)
		require.True(t, less.Cmp(limit) < 0)
	}
}

func TestBase62(t *testing.T) {
	tests := []struct {
		in   []byte
		want string
	}{
		{[]byte{0, 0}, "000"},
		{[]byte{0, 61}, "00z"},
		{[]byte{0, 62}, "010"},
		{[]byte{0xff, 0xff}, "H31"}, // 65535 = 17*3844 + 3*62 + 1
	}
	for _, tt := range tests {
		dst := make([]byte, len(tt.want))
		encode62(dst, tt.in)
		require.Equal(t, tt.want, string(dst))

		back := make([]byte, len(tt.in))
		require.True(t, decode62(back, tt.want))
		require.Equal(t, tt.in, back)
	}
	require.False(t, decode62(make([]byte, 2), "H32"))
	for c := 0; c < 256; c++ {
		require.Equal(t, isDigit62(byte(c)),
			indexOf(byte(c)) >= 0, "char %d", c)
		if isDigit62(byte(c)) {
			require.Equal(t, indexOf(byte(c)), int(digit62(byte(c))))
		}
	}
}

// indexOf returns c's position in alphabet, or -1.
func indexOf(c byte) int {
	for i := 0; i < len(alphabet); i++ {
		if alphabet[i] == c {
			return i
		}
	}
	return -1
}

func TestParseVersion(t *testing.T) {
	for _, v := range []byte{0, 2, 255} {
		var body [bodyLen]byte
		body[0] = v
		_, err := Parse(format(body))
		require.ErrorIs(t, err, ErrMalformed)
		require.ErrorContains(t, err, "unsupported version")
	}
	var body [bodyLen]byte
	body[0] = version
	_, err := Parse(format(body))
	require.NoError(t, err)
}
