package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/sessionguard/sessionguard/store"
)

// apiError is a failure as the client sees it.
type apiError struct {
	status  int
	code    string
	message string
	limit   string // the limit's config key, for limit errors
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

// badRequest is an invalid_argument error about the request itself.
func badRequest(format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest,
		code: "invalid_argument", message: fmt.Sprintf(format, args...)}
}

// codes maps the store's sentinels to statuses and stable codes. The
// order matters where one sentinel wraps another.
var codes = []struct {
	err    error
	status int
	code   string
}{
	{store.ErrUnauthenticated, http.StatusUnauthorized, "unauthenticated"},
	{store.ErrForbidden, http.StatusForbidden, "forbidden"},
	{store.ErrNotFound, http.StatusNotFound, "not_found"},
	{store.ErrAlreadyExists, http.StatusConflict, "already_exists"},
	{store.ErrConflict, http.StatusConflict, "conflict"},
	{store.ErrTooLarge, http.StatusRequestEntityTooLarge, "too_large"},
	{store.ErrLimitExceeded, http.StatusTooManyRequests, "limit_exceeded"},
	{store.ErrInvalidArgument, http.StatusBadRequest, "invalid_argument"},
}

// Messages that stand in for details the client must not see.
const (
	msgUnavailable = "the session store is unavailable; try again later"
	msgInternal    = "internal error"
)

// classify turns any error into what the client is told.
func classify(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	var le *store.LimitError
	if errors.As(err, &le) {
		e := classify(errors.Unwrap(le))
		return &apiError{status: e.status, code: e.code,
			message: strings.TrimPrefix(le.Error(), "store: "),
			limit:   le.Limit}
	}
	if unavailable(err) {
		return &apiError{status: http.StatusServiceUnavailable,
			code: "unavailable", message: msgUnavailable}
	}
	for _, c := range codes {
		if errors.Is(err, c.err) {
			return &apiError{status: c.status, code: c.code,
				message: strings.TrimPrefix(err.Error(), "store: ")}
		}
	}
	return &apiError{status: http.StatusInternalServerError,
		code: "internal", message: msgInternal}
}

// unavailable reports errors that mean Redis could not answer in time.
// A client that went away also lands here; nobody reads that answer.
func unavailable(err error) bool {
	return errors.Is(err, store.ErrUnavailable) ||
		errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, context.Canceled)
}

// fail answers r with err, logging what the client is not told.
func (a *api) fail(w http.ResponseWriter, r *http.Request, err error) {
	e := classify(err)
	switch e.status {
	case http.StatusInternalServerError:
		a.log.LogAttrs(r.Context(), slog.LevelError, "internal error",
			slog.String("route", r.Pattern), slog.Any("err", err))
	case http.StatusServiceUnavailable:
		a.log.LogAttrs(r.Context(), slog.LevelWarn, "store unavailable",
			slog.String("route", r.Pattern), slog.Any("err", err))
	case http.StatusUnauthorized:
		w.Header().Set("WWW-Authenticate", "Bearer")
	}
	writeJSON(w, e.status, errorBody{Error: errorDetail{
		Code: e.code, Message: e.message, Limit: e.limit}})
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Limit   string `json:"limit,omitempty"`
}
