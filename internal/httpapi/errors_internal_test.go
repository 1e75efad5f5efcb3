package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/store"
)

// TestClassify checks the mapping of errors to statuses and codes, and
// that messages of unexpected errors reveal nothing.
func TestClassify(t *testing.T) {
	cases := []struct {
		err    error
		status int
		code   string
		limit  string
	}{
		{fmt.Errorf("%w: token expired", store.ErrUnauthenticated),
			http.StatusUnauthorized, "unauthenticated", ""},
		{store.ErrForbidden, http.StatusForbidden, "forbidden", ""},
		{store.ErrNotFound, http.StatusNotFound, "not_found", ""},
		{store.ErrAlreadyExists, http.StatusConflict, "already_exists", ""},
		{store.ErrConflict, http.StatusConflict, "conflict", ""},
		{&store.LimitError{Limit: "max_events_per_session"},
			http.StatusTooManyRequests, "limit_exceeded",
			"max_events_per_session"},
		{&store.LimitError{Limit: "max_event_size_bytes"},
			http.StatusRequestEntityTooLarge, "too_large",
			"max_event_size_bytes"},
		{fmt.Errorf("%w: page size", store.ErrInvalidArgument),
			http.StatusBadRequest, "invalid_argument", ""},
		{fmt.Errorf("%w: dial tcp 10.0.0.1:6379", store.ErrUnavailable),
			http.StatusServiceUnavailable, "unavailable", ""},
		{context.DeadlineExceeded, http.StatusServiceUnavailable,
			"unavailable", ""},
		{errors.New("store: redis: ERR secret detail"),
			http.StatusInternalServerError, "internal", ""},
	}
	for _, tc := range cases {
		e := classify(tc.err)
		require.Equal(t, tc.status, e.status, tc.err.Error())
		require.Equal(t, tc.code, e.code, tc.err.Error())
		require.Equal(t, tc.limit, e.limit, tc.err.Error())
		require.NotContains(t, e.message, "store:")
		require.NotContains(t, e.message, "10.0.0.1")
		require.NotContains(t, e.message, "secret")
	}
}
