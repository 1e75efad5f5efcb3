package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"
	"unicode/utf8"
)

// emit writes v as indented JSON with -o json; otherwise table writes
// the human form into aligned columns.
func (k *conn) emit(v any, table func(w io.Writer)) error {
	if k.output == "json" {
		enc := json.NewEncoder(k.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	tw := tabwriter.NewWriter(k.stdout, 0, 4, 2, ' ', 0)
	table(tw)
	return tw.Flush()
}

// row writes one tab-separated table row. String cells pass through
// printable: ids and state keys come from callers.
func row(w io.Writer, cells ...any) {
	for i, c := range cells {
		if i > 0 {
			fmt.Fprint(w, "\t")
		}
		if s, ok := c.(string); ok {
			c = printable(s)
		}
		fmt.Fprint(w, c)
	}
	fmt.Fprintln(w)
}

// printable returns s, or s quoted Go-style when it holds anything that
// would not print as itself in a table: control characters (terminal
// escapes, newlines, tabs) or invalid UTF-8.
func printable(s string) string {
	if s == "" || !utf8.ValidString(s) ||
		strings.IndexFunc(s, func(r rune) bool {
			return !unicode.IsPrint(r) || r == '\t'
		}) >= 0 {
		return strconv.Quote(s)
	}
	return s
}

// stamp formats t for a table in local time; the zero time is "-".
func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04:05")
}

// until says how long until t: "in 1h05m", or "expired".
func until(t, now time.Time) string {
	d := t.Sub(now)
	if d <= 0 {
		return "expired"
	}
	return "in " + brief(d)
}

// brief formats d to two units at most: 3d04h, 1h05m, 4m09s, 12s.
func brief(d time.Duration) string {
	s := int64(math.Ceil(d.Seconds()))
	switch {
	case s >= 86400:
		return fmt.Sprintf("%dd%02dh", s/86400, s%86400/3600)
	case s >= 3600:
		return fmt.Sprintf("%dh%02dm", s/3600, s%3600/60)
	case s >= 60:
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	}
	return fmt.Sprintf("%ds", s)
}

// size formats a byte count: 512 B, 1.5 KiB, 16.0 MiB.
func size(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// seconds converts float Unix seconds to a time, to the millisecond.
func seconds(f float64) time.Time {
	return time.UnixMilli(int64(math.Round(f * 1000)))
}

// oneLine squeezes s onto one line of at most max characters.
func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max-1]) + "…"
}

// plural counts n things: "1 event", "3 events".
func plural(n int64, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
