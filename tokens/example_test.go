package tokens_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/sessionguard/sessionguard/tokens"
)

func ExampleKeyring_New() {
	ring := tokens.RandomKeyring() // production: NewKeyring(ParseKeys(...))

	// Issue: give the text to the client once, store only the hash.
	tok, err := ring.New("user:{42}")
	if err != nil {
		panic(err)
	}
	text := tok.Reveal()
	stored := ring.Hash(tok)
	fmt.Println(strings.HasPrefix(text, "sgt_"), len(text))
	fmt.Println("printed:", tok)

	// Later: parse what the client sent, check owner, look up the hash.
	back, err := tokens.Parse(text)
	if err != nil {
		panic(err)
	}
	fmt.Println(ring.Owns(back, "user:{42}"), ring.Owns(back, "user:{7}"))
	fmt.Println(ring.Hash(back) == stored)

	// Typos never reach the store.
	_, err = tokens.Parse(text[:30] + "?" + text[31:])
	fmt.Println(errors.Is(err, tokens.ErrMalformed))
	// Output:
	// true 55
	// printed: sgt_[redacted]
	// true false
	// true
	// true
}
