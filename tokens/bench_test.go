package tokens_test

import (
	"testing"

	"github.com/sessionguard/sessionguard/tokens"
)

func BenchmarkNew(b *testing.B) {
	ring := testRing(b, testKey("k1", 1))
	for b.Loop() {
		if _, err := ring.New("user:{42}"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	text := newToken(b, testRing(b, testKey("k1", 1)), "u").Reveal()
	for b.Loop() {
		if _, err := tokens.Parse(text); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHash(b *testing.B) {
	ring := testRing(b, testKey("k1", 1))
	tok := newToken(b, ring, "u")
	for b.Loop() {
		if ring.Hash(tok) == "" {
			b.Fatal("empty hash")
		}
	}
}
