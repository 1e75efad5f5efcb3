package store_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/keyspace"
	"github.com/sessionguard/sessionguard/internal/testredis"
	"github.com/sessionguard/sessionguard/limits"
	"github.com/sessionguard/sessionguard/store"
)

func TestConcurrentCreatesHoldTheLimit(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		for _, policy := range []limits.Policy{limits.Reject, limits.EvictLRU} {
			t.Run(string(policy), func(t *testing.T) {
				st := newStore(t, b, store.Options{MaxSessionsPerUser: 2,
					OverLimit: policy})
				user := "u-" + string(policy)
				var wg sync.WaitGroup
				errs := make([]error, 20)
				for i := range errs {
					wg.Add(1)
					go func() {
						defer wg.Done()
						_, _, errs[i] = st.Create(ctx, "app", user,
							store.CreateOptions{})
					}()
				}
				wg.Wait()
				ok, limited := 0, 0
				for _, err := range errs {
					var le *store.LimitError
					switch {
					case err == nil:
						ok++
					case errors.As(err, &le):
						require.Equal(t, "max_sessions_per_user", le.Limit)
						require.ErrorIs(t, err, store.ErrLimitExceeded)
						limited++
					default:
						t.Fatalf("unexpected error: %v", err)
					}
				}
				page, err := st.List(ctx, store.Admin, "app", user,
					store.ListOptions{})
				require.NoError(t, err)
				require.Len(t, page.Sessions, 2)
				if policy == limits.Reject {
					require.Equal(t, 2, ok)
					require.Equal(t, 18, limited)
				} else {
					require.Equal(t, 20, ok)
				}
			})
		}
	})
}

func TestEvictLRUClosesTheLeastRecentlyUsed(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		st := newStore(t, b, store.Options{MaxSessionsPerUser: 2,
			OverLimit: limits.EvictLRU})
		s1, c1 := create(t, st, "app", "u", "s1")
		b.Sleep(5 * time.Millisecond)
		s2, _ := create(t, st, "app", "u", "s2")
		b.Sleep(5 * time.Millisecond)
		_, err := st.Get(ctx, c1, s1.Ref(), nil) // s1 is now the most recent
		require.NoError(t, err)
		b.Sleep(5 * time.Millisecond)
		create(t, st, "app", "u", "s3")
		_, err = st.Get(ctx, store.Admin, s2.Ref(), nil)
		require.ErrorIs(t, err, store.ErrNotFound)
		_, err = st.Get(ctx, c1, s1.Ref(), nil)
		require.NoError(t, err)
	})
}

func TestSessionLimitsWriteNothing(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		st := newStore(t, b, store.Options{MaxEventsPerSession: 3,
			MaxSessionBytes: 2000, MaxEventBytes: 600})
		sess, cred := create(t, st, "app", "u", "s")
		for i := range 3 {
			_, err := st.AppendEvent(ctx, cred, sess,
				event(fmt.Sprint("e", i), map[string]any{"k": i}))
			require.NoError(t, err)
		}
		_, err := st.AppendEvent(ctx, cred, sess,
			event("e3", map[string]any{"k": 3, "user:u": 1}))
		requireLimit(t, err, "max_events_per_session", store.ErrLimitExceeded)

		st2 := newStore(t, b, store.Options{MaxSessionBytes: 2000,
			MaxEventBytes: 600})
		big, bcred := create(t, st2, "app", "u", "big")
		ev := event("huge", nil)
		ev.Content = []byte(`"` + strings.Repeat("x", 700) + `"`)
		_, err = st2.AppendEvent(ctx, bcred, big, ev)
		requireLimit(t, err, "max_event_size_bytes", store.ErrTooLarge)

		ev.Content = []byte(`"` + strings.Repeat("x", 400) + `"`)
		var last error
		for i := 0; last == nil && i < 10; i++ {
			ev.ID = fmt.Sprint("fill", i)
			_, last = st2.AppendEvent(ctx, bcred, big, ev)
		}
		requireLimit(t, last, "max_session_size_bytes",
			store.ErrLimitExceeded)

		got, err := st.Get(ctx, cred, sess.Ref(), nil)
		require.NoError(t, err)
		require.Len(t, got.Events, 3)
		full, err := st2.Get(ctx, bcred, big.Ref(), nil)
		require.NoError(t, err)
		require.LessOrEqual(t, full.Info.Bytes, int64(2000))
		require.Len(t, full.Events, int(full.Info.EventCount))
		require.JSONEq(t, `2`, string(got.State["k"]))
		require.NotContains(t, got.State, "user:u")
		require.Equal(t, int64(4), got.Version)
	})
}

func requireLimit(t *testing.T, err error, limit string, sentinel error) {
	t.Helper()
	var le *store.LimitError
	require.ErrorAs(t, err, &le)
	require.Equal(t, limit, le.Limit)
	require.ErrorIs(t, err, sentinel)
}

func TestOrphanIndexEntriesTakeNoPlace(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		for _, policy := range []limits.Policy{limits.Reject, limits.EvictLRU} {
			st := newStore(t, b, store.Options{MaxSessionsPerUser: 2,
				OverLimit: policy})
			user := "u-" + string(policy)
			live, cred := create(t, st, "app", user, "live")
			gone, _ := create(t, st, "app", user, "gone")
			u := keyspace.ForUser(b.Prefix, "app", user)
			require.NoError(t, b.Client.HDel(ctx, u.Sessions(), gone.ID).Err())

			_, _, err := st.Create(ctx, "app", user, store.CreateOptions{})
			require.NoError(t, err, string(policy))
			_, err = st.Get(ctx, cred, live.Ref(), nil)
			require.NoError(t, err, "no live session was evicted")
		}
	})
}

func TestUserStateIsCappedAcrossSessions(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		st := newStore(t, b, store.Options{MaxUserStateBytes: 1000})
		big := strings.Repeat("x", 300)
		written := 0
		var last error
		// Cycling sessions must not let user: state grow without bound.
		for i := 0; last == nil && i < 10; i++ {
			sess, cred := create(t, st, "app", "u", fmt.Sprint("s", i))
			_, last = st.AppendEvent(ctx, cred, sess, event("e",
				map[string]any{fmt.Sprintf("user:k%d", i): big}))
			if last == nil {
				written++
			}
			require.NoError(t, st.Delete(ctx, cred, sess.Ref()))
		}
		requireLimit(t, last, "max_user_state_bytes", store.ErrLimitExceeded)
		require.Equal(t, 3, written)

		_, _, err := st.Create(ctx, "app", "u", store.CreateOptions{
			State: map[string]json.RawMessage{"user:more": json.RawMessage(
				`"` + big + `"`)}})
		requireLimit(t, err, "max_user_state_bytes", store.ErrLimitExceeded)

		// Deleting and overwriting make room again.
		sess, cred := create(t, st, "app", "u", "again")
		_, err = st.AppendEvent(ctx, cred, sess, event("d", map[string]any{
			"user:k0": nil, "user:k1": "small"}))
		require.NoError(t, err)
		_, err = st.AppendEvent(ctx, cred, sess, event("f", map[string]any{
			"user:k9": big}))
		require.NoError(t, err)
		got, err := st.Get(ctx, cred, sess.Ref(), nil)
		require.NoError(t, err)
		require.NotContains(t, got.State, "#bytes")
		require.Len(t, got.State, 3)
	})
}
