package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/testredis"
	"github.com/sessionguard/sessionguard/store"
)

// appStateOutage fails pipelines that touch app state while it is on,
// as if that slot's Redis node were down.
type appStateOutage struct{ on atomic.Bool }

func (h *appStateOutage) DialHook(next redis.DialHook) redis.DialHook {
	return next
}

func (h *appStateOutage) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return next
}

func (h *appStateOutage) ProcessPipelineHook(next redis.ProcessPipelineHook,
) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		if !h.on.Load() {
			return next(ctx, cmds)
		}
		for _, c := range cmds {
			if c.Name() == "hset" && strings.Contains(c.String(), ":{a:") {
				err := errors.New("dial tcp: connection refused")
				for _, c := range cmds {
					c.SetErr(err)
				}
				return err
			}
		}
		return next(ctx, cmds)
	}
}

func TestRetryCompletesAppStateAfterAnOutage(t *testing.T) {
	b := testredis.Mini(t)
	st := newStore(t, b, store.Options{MaxSessionsPerUser: 1})
	outage := &appStateOutage{}
	b.Client.AddHook(outage)

	outage.on.Store(true)
	_, _, err := st.Create(ctx, "app", "u", store.CreateOptions{ID: "s",
		State: map[string]json.RawMessage{"app:k": json.RawMessage(`1`)}})
	require.ErrorIs(t, err, store.ErrUnavailable)
	outage.on.Store(false)
	sess, cred := create(t, st, "app", "u", "s") // the slot was freed

	outage.on.Store(true)
	ev := event("", map[string]any{"app:model": "m2", "n": 1})
	_, err = st.AppendEvent(ctx, cred, sess, ev)
	require.ErrorIs(t, err, store.ErrUnavailable)
	require.NotEmpty(t, ev.ID, "the event keeps the id it was stored under")

	outage.on.Store(false)
	_, err = st.AppendEvent(ctx, cred, sess, ev)
	require.NoError(t, err)
	got, err := st.Get(ctx, cred, sess.Ref(), nil)
	require.NoError(t, err)
	require.Len(t, got.Events, 1)
	require.JSONEq(t, `"m2"`, string(got.State["app:model"]))
}
