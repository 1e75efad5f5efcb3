package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/sessionguard/sessionguard/limits"
)

// Errors returned by the store; match them with errors.Is.
var (
	// ErrNotFound: the session does not exist, was closed, or expired.
	ErrNotFound = errors.New("store: session not found")
	// ErrAlreadyExists: a live session already has the requested id.
	ErrAlreadyExists = errors.New("store: session already exists")
	// ErrAccessDenied is the parent of ErrUnauthenticated and
	// ErrForbidden.
	ErrAccessDenied = errors.New("store: access denied")
	// ErrUnauthenticated: no token, or a malformed, expired or revoked one.
	ErrUnauthenticated = fmt.Errorf("%w: unauthenticated", ErrAccessDenied)
	// ErrForbidden: a valid token used on another user's or session's data.
	ErrForbidden = fmt.Errorf("%w: forbidden", ErrAccessDenied)
	// ErrLimitExceeded: a limit was hit; a *LimitError names which.
	ErrLimitExceeded = errors.New("store: limit exceeded")
	// ErrTooLarge: one event is over the per-event size limit.
	ErrTooLarge = errors.New("store: too large")
	// ErrConflict: an append from a copy older than the stored version.
	ErrConflict = errors.New("store: conflict")
	// ErrInvalidArgument: an id, option or event is malformed.
	ErrInvalidArgument = errors.New("store: invalid argument")
	// ErrUnavailable: Redis could not be reached.
	ErrUnavailable = errors.New("store: redis unavailable")
)

// LimitError names the limit an operation hit. It matches
// ErrLimitExceeded, or ErrTooLarge for the per-event size limit.
type LimitError struct {
	Limit string // the configuration key, e.g. "max_sessions_per_user"
}

func (e *LimitError) Error() string {
	if e.Limit == "max_event_size_bytes" {
		return "store: too large: " + e.Limit
	}
	return "store: limit exceeded: " + e.Limit
}

// Unwrap returns the sentinel the limit belongs to.
func (e *LimitError) Unwrap() error {
	if e.Limit == "max_event_size_bytes" {
		return ErrTooLarge
	}
	return ErrLimitExceeded
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidArgument},
		args...)...)
}

// translate turns script refusals and transport failures into the
// store's errors.
func translate(err error) error {
	if err == nil {
		return nil
	}
	var r *limits.Refusal
	if errors.As(err, &r) {
		return refusal(r)
	}
	if errors.Is(err, context.Canceled) ||
		errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var rerr redis.Error
	if errors.As(err, &rerr) && !isTransient(rerr) {
		return fmt.Errorf("store: redis: %w", err)
	}
	return fmt.Errorf("%w: %v", ErrUnavailable, err)
}

func refusal(r *limits.Refusal) error {
	switch r.Status {
	case limits.NotFound:
		return ErrNotFound
	case limits.Exists:
		return ErrAlreadyExists
	case limits.Unauthenticated:
		return fmt.Errorf("%w: %s", ErrUnauthenticated, r.Detail)
	case limits.Forbidden:
		return fmt.Errorf("%w: %s", ErrForbidden, r.Detail)
	case limits.Conflict:
		return fmt.Errorf("%w: %s", ErrConflict, r.Detail)
	case limits.Limit, limits.TooLarge:
		return &LimitError{Limit: r.Detail}
	}
	return fmt.Errorf("store: %w", r)
}

// isTransient reports Redis error replies that mean "not now" rather
// than "never": loading, failover, cluster resharding.
func isTransient(err redis.Error) bool {
	msg := err.Error()
	for _, p := range []string{"LOADING", "READONLY", "MASTERDOWN",
		"CLUSTERDOWN", "TRYAGAIN", "BUSY"} {
		if len(msg) >= len(p) && msg[:len(p)] == p {
			return true
		}
	}
	return false
}
