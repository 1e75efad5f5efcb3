package store_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/testredis"
	"github.com/sessionguard/sessionguard/store"
	"github.com/sessionguard/sessionguard/tokens"
)

var ctx = context.Background()

// newStore returns a store on b with opts, prefix set to b's.
func newStore(t *testing.T, b testredis.Backend, opts store.Options,
) *store.Store {
	t.Helper()
	opts.Prefix = b.Prefix
	st, err := store.New(b.Client, opts)
	require.NoError(t, err)
	require.NoError(t, st.Preload(ctx))
	return st
}

// create makes a session and returns it with its token's credential.
func create(t *testing.T, st *store.Store, app, user, id string,
) (*store.Session, store.Credential) {
	t.Helper()
	sess, tok, err := st.Create(ctx, app, user, store.CreateOptions{ID: id})
	require.NoError(t, err)
	return sess, store.Bearer(tok)
}

func event(id string, delta map[string]any) *store.Event {
	ev := &store.Event{ID: id, Author: "agent",
		Content: json.RawMessage(`{"parts":[{"text":"hi"}]}`)}
	if len(delta) > 0 {
		ev.Actions.StateDelta = map[string]json.RawMessage{}
		for k, v := range delta {
			b, _ := json.Marshal(v)
			ev.Actions.StateDelta[k] = b
		}
	}
	return ev
}

func eventIDs(s *store.Session) []string {
	ids := make([]string, len(s.Events))
	for i, e := range s.Events {
		ids[i] = e.ID
	}
	return ids
}

func mustToken(t *testing.T, tok tokens.Token) string {
	t.Helper()
	require.False(t, tok.IsZero())
	return tok.Reveal()
}

func pttl(t *testing.T, b testredis.Backend, key string) time.Duration {
	t.Helper()
	d, err := b.Client.PTTL(ctx, key).Result()
	require.NoError(t, err)
	return d
}
