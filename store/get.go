package store

import (
	"context"
	"encoding/json"
	"fmt"
	"math"

	"github.com/sessionguard/sessionguard/internal/keyspace"
	"github.com/sessionguard/sessionguard/limits"
	"github.com/sessionguard/sessionguard/tokens"
)

// GetOptions select which events a read returns; nil returns them all.
type GetOptions struct {
	// NumRecentEvents keeps only the last N events; 0 keeps all.
	NumRecentEvents int
	// AfterTimestamp keeps only events at or after this time (Unix
	// seconds, inclusive); 0 keeps all. With both set, the time filter
	// applies first, then the last N are kept.
	AfterTimestamp float64
	// WithTokens fills Info.Tokens (fingerprints, never tokens).
	WithTokens bool
	// Peek reads without counting as activity: the idle expiry stays
	// where it was. For operators' tools.
	Peek bool
}

// Get returns the session with its state (session, user and app scope,
// as they are now) and its events in append order. Reading counts as
// activity, unless opts.Peek: it extends the idle timeout, never past
// the deadline.
//
// It fails with ErrNotFound when the session does not exist, was
// closed or expired, and with ErrUnauthenticated or ErrForbidden when
// cred does not open it.
func (s *Store) Get(ctx context.Context, cred Credential, ref Ref,
	opts *GetOptions,
) (*Session, error) {
	if opts == nil {
		opts = &GetOptions{}
	}
	if err := checkRef(ref); err != nil {
		return nil, err
	}
	if opts.NumRecentEvents < 0 {
		return nil, invalid("numRecentEvents %d is negative",
			opts.NumRecentEvents)
	}
	if math.IsNaN(opts.AfterTimestamp) || opts.AfterTimestamp < 0 {
		return nil, invalid("afterTimestamp must be a non-negative number")
	}
	c, err := s.call(cred, ref)
	if err != nil {
		return nil, err
	}
	args := limits.GetArgs{
		Last:       -1,
		After:      opts.AfterTimestamp,
		AfterSet:   opts.AfterTimestamp > 0,
		WithTokens: opts.WithTokens,
		Peek:       opts.Peek,
		AppState:   keyspace.AppState(s.opts.Prefix, ref.App),
	}
	if opts.NumRecentEvents > 0 {
		args.Last = opts.NumRecentEvents
	}
	r, err := limits.Get(ctx, s.rdb, c, args)
	if err != nil {
		return nil, translate(err)
	}
	return buildSession(ref, r)
}

func buildSession(ref Ref, r limits.GetReply) (*Session, error) {
	sess := newSession(ref, r.Meta)
	sess.mergeState(r.AppState, r.UserState, r.SessionState)
	for _, raw := range r.Events {
		ev := new(Event)
		if err := json.Unmarshal([]byte(raw), ev); err != nil {
			return nil, fmt.Errorf("store: stored event of %s: %w", ref, err)
		}
		sess.Events = append(sess.Events, ev)
	}
	for hash, exp := range r.Tokens {
		sess.Info.Tokens = append(sess.Info.Tokens,
			TokenInfo{Fingerprint: tokens.Fingerprint(hash), Expires: exp})
	}
	return sess, nil
}
