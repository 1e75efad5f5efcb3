package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPrintable(t *testing.T) {
	cases := map[string]string{
		"s1":                    "s1",
		"a b/ü:{x}":             "a b/ü:{x}",
		"x\x1b[31mRED\x1b[0m":   `"x\x1b[31mRED\x1b[0m"`,
		"a\nb":                  `"a\nb"`,
		"tab\there":             `"tab\there"`,
		"":                      `""`,
		`"json"`:                `"json"`,
		string([]byte{0xff}):    `"\xff"`,
		"k\u200bzero-width-ok?": `"k\u200bzero-width-ok?"`,
	}
	for in, want := range cases {
		require.Equal(t, want, printable(in), "%q", in)
	}
}
