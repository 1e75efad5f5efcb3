package tokens

import (
	"fmt"
	"log/slog"
)

// Redacted forms. They keep the prefix so logs still show what kind of
// value was there.
const (
	redacted = prefix + "[redacted]"
	noToken  = prefix + "[none]"
)

// String returns "sgt_[redacted]", or "sgt_[none]" for the zero Token.
// It never returns the secret; use Reveal for that.
func (t Token) String() string {
	if t.IsZero() {
		return noToken
	}
	return redacted
}

// GoString returns the same redacted text as String, for %#v.
func (t Token) GoString() string { return t.String() }

// Format writes the redacted String for every verb, so no format
// directive (%v, %+v, %#v, %s, %q, %x...) can print the secret. Width and
// flags are honoured as for a string.
func (t Token) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, t.String())
}

// LogValue returns the redacted String, so slog never logs the secret.
func (t Token) LogValue() slog.Value { return slog.StringValue(t.String()) }

// MarshalJSON returns the redacted String as a JSON string, so a Token
// marshalled by accident never leaks. Send Reveal explicitly instead.
func (t Token) MarshalJSON() ([]byte, error) {
	return []byte(`"` + t.String() + `"`), nil
}

// MarshalText returns the redacted String, for encoders (YAML, TOML,
// XML, map keys) that use encoding.TextMarshaler.
func (t Token) MarshalText() ([]byte, error) {
	return []byte(t.String()), nil
}

// formatRedacted prints s for verb as %q would for 'q' and as %s would
// otherwise, keeping width and flags, so every verb prints only s.
func formatRedacted(f fmt.State, verb rune, s string) {
	if verb != 'q' {
		verb = 's'
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), s)
}
