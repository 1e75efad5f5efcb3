package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sessionguard/sessionguard/store"
)

// readJSON decodes the request body, a JSON object, into dst. An empty
// body leaves dst as it is when optional is true. Bodies over the cap
// are refused as too_large without being read to the end.
func (a *api) readJSON(w http.ResponseWriter, r *http.Request, dst any,
	optional bool,
) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, a.maxBody))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return &apiError{status: http.StatusRequestEntityTooLarge,
			code: "too_large", limit: "max_event_size_bytes",
			message: "request body is over " +
				strconv.FormatInt(tooBig.Limit, 10) + " bytes"}
	case err != nil:
		return badRequest("reading the request body: %v", err)
	}
	body = bytes.TrimSpace(body)
	switch {
	case len(body) == 0 && optional:
		return nil
	case len(body) == 0 || body[0] != '{':
		return badRequest("request body must be a JSON object")
	}
	if err := json.Unmarshal(body, dst); err != nil {
		return badRequest("request body: %v", err)
	}
	return nil
}

// queryInt reads a non-negative integer query parameter; absent is 0.
func queryInt(r *http.Request, name string) (int, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, badRequest("%s %q is not a non-negative integer",
			name, s)
	}
	return n, nil
}

// queryTime reads a time query parameter given as Unix seconds (a
// float) or RFC 3339, in Unix seconds; absent is 0.
func queryTime(r *http.Request, name string) (float64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return 0, nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		if f < 0 || math.IsInf(f, 0) || math.IsNaN(f) {
			return 0, badRequest("%s %q is not a time", name, s)
		}
		return f, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return 0, badRequest("%s %q is neither Unix seconds nor "+
			"RFC 3339", name, s)
	}
	return float64(t.UnixNano()) / 1e9, nil
}

// ifMatch returns the version an If-Match header expects, quoted or
// not, or store.AnyVersion without one (or for "*").
func ifMatch(r *http.Request) (int64, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" || h == "*" {
		return store.AnyVersion, nil
	}
	v := strings.Trim(strings.TrimPrefix(h, "W/"), `"`)
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, badRequest("If-Match %q is not a session version", h)
	}
	return n, nil
}
