package limits

import (
	"strconv"
	"time"
)

// Helpers that read the loosely typed arrays scripts reply with.

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	}
	return ""
}

func strs(v any) []string {
	arr, _ := v.([]any)
	out := make([]string, 0, len(arr))
	for _, x := range arr {
		out = append(out, str(x))
	}
	return out
}

// userBytesField is the field of the user state hash in which the
// scripts count its bytes; it is bookkeeping, not state.
const userBytesField = "#bytes"

// userState is the user state hash of a reply, without bookkeeping.
func userState(v any) map[string]string {
	m := pairs(v)
	delete(m, userBytesField)
	return m
}

func pairs(v any) map[string]string {
	arr := strs(v)
	out := make(map[string]string, len(arr)/2)
	for i := 0; i+1 < len(arr); i += 2 {
		out[arr[i]] = arr[i+1]
	}
	return out
}

// msTime converts Unix milliseconds to a time; "0" and "" give zero.
func msTime(s string) time.Time {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n == 0 {
		return time.Time{}
	}
	return time.UnixMilli(n)
}
