package store

import (
	"context"
	"encoding/json"

	"github.com/redis/go-redis/v9"

	"github.com/sessionguard/sessionguard/internal/keyspace"
	"github.com/sessionguard/sessionguard/limits"
	"github.com/sessionguard/sessionguard/tokens"
)

// CreateOptions describe a new session.
type CreateOptions struct {
	// ID is the session id; empty generates a random UUID.
	ID string
	// State is the initial state, scoped by key prefix as in a
	// StateDelta; temp: keys are ignored.
	State map[string]json.RawMessage
}

// Create starts a session for user in app and returns it with its first
// token (the zero Token when authentication is disabled). Creating is a
// trusted call: it takes no credential.
//
// It fails with ErrAlreadyExists when a live session has the id, and
// with a *LimitError (ErrLimitExceeded) at max_sessions_per_user under
// the reject policy; under evict_lru the least recently used sessions
// are closed instead.
func (s *Store) Create(ctx context.Context, app, user string,
	opts CreateOptions,
) (*Session, tokens.Token, error) {
	ref := Ref{App: app, User: user, ID: opts.ID}
	if ref.ID == "" {
		ref.ID = newID()
	}
	if err := checkRef(ref); err != nil {
		return nil, tokens.Token{}, err
	}
	delta, err := splitDelta(opts.State)
	if err != nil {
		return nil, tokens.Token{}, err
	}
	c, _ := s.call(Admin, ref)
	args := limits.CreateArgs{
		Lifetime: s.opts.MaxLifetime, Gen: randomGen(),
		TokenTTL: s.opts.TokenTTL, Limits: s.opts.limits(),
		SessionState: delta.session, UserState: delta.user,
	}
	writesApp := len(delta.app.Set)+len(delta.app.Del) > 0
	if !writesApp {
		args.AppState = keyspace.AppState(s.opts.Prefix, app)
	}
	var tok tokens.Token
	if !s.opts.DisableAuth {
		if tok, err = s.opts.Keys.New(c.User.Base()); err != nil {
			return nil, tokens.Token{}, err
		}
		args.TokenHash = s.opts.Keys.Hash(tok)
	}
	r, err := limits.Create(ctx, s.rdb, c, args)
	if err != nil {
		return nil, tokens.Token{}, translate(err)
	}
	sess := newSession(ref, r.Meta)
	appState := r.AppState
	if writesApp {
		if appState, err = s.writeAppState(ctx, app, delta.app); err != nil {
			// Undo, so that a failed create holds no slot of the user's.
			_ = limits.Delete(ctx, s.rdb, c)
			return nil, tokens.Token{}, err
		}
	}
	sess.mergeState(appState, r.UserState, changesMap(delta.session))
	return sess, tok, nil
}

// writeAppState applies app-scoped changes and returns the app state.
//
// TODO(app-state-cap): app state has no size cap: a refusal here would
// come after the event is stored, and checking first costs another
// round trip that still races with other writers.
// App state is shared by every user of the app, so it lives in a slot
// of its own and cannot join the user's script.
func (s *Store) writeAppState(ctx context.Context, app string,
	c limits.Changes,
) (map[string]string, error) {
	key := keyspace.AppState(s.opts.Prefix, app)
	var all *redis.MapStringStringCmd
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		for _, kv := range c.Set {
			p.HSet(ctx, key, kv[0], kv[1])
		}
		if len(c.Del) > 0 {
			p.HDel(ctx, key, c.Del...)
		}
		all = p.HGetAll(ctx, key)
		return nil
	})
	if err != nil {
		return nil, translate(err)
	}
	return all.Val(), nil
}

func changesMap(c limits.Changes) map[string]string {
	out := make(map[string]string, len(c.Set))
	for _, kv := range c.Set {
		out[kv[0]] = kv[1]
	}
	return out
}
