package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/keyspace"
	"github.com/sessionguard/sessionguard/internal/testredis"
	"github.com/sessionguard/sessionguard/store"
	"github.com/sessionguard/sessionguard/tokens"
)

// permanent reports keys documented as having no TTL: app and user
// state, which outlive sessions as in ADK.
func permanent(key string) bool {
	return strings.HasSuffix(key, "}:state")
}

// requireTTLs checks that every key under prefix but the permanent ones
// has a TTL, and that the session data keys of live sessions expire no
// later than min(idle, time left to deadline).
func requireTTLs(t *testing.T, b testredis.Backend, st *store.Store,
	live ...*store.Session,
) {
	t.Helper()
	keys, err := testredis.Keys(ctx, b.Client, b.Prefix)
	require.NoError(t, err)
	for _, k := range keys {
		d := pttl(t, b, k)
		if permanent(k) {
			require.Equal(t, time.Duration(-1), d, k)
			continue
		}
		require.Greater(t, d, time.Duration(0), "key without TTL: %q", k)
	}
	for _, s := range live {
		got, err := st.Get(ctx, store.Admin, s.Ref(), nil)
		require.NoError(t, err)
		limit := min(st.Options().IdleTimeout,
			time.Until(got.Info.Deadline)+time.Second)
		u := keyspace.ForUser(b.Prefix, s.AppName, s.UserID)
		for _, k := range u.Session(s.ID).All() {
			if d := pttl(t, b, k); d != -2 {
				require.LessOrEqual(t, d, limit, k)
			}
		}
	}
}

func TestEveryKeyHasATTL(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		st := newStore(t, b, store.Options{IdleTimeout: 10 * time.Minute,
			MaxLifetime: 30 * time.Minute})
		sess, cred := create(t, st, "app", "u", "s")
		requireTTLs(t, b, st, sess)
		_, err := st.AppendEvent(ctx, cred, sess, event("e1", map[string]any{
			"k": 1, "user:k": 2, "app:k": 3}))
		require.NoError(t, err)
		requireTTLs(t, b, st, sess)
		_, _, err = st.IssueToken(ctx, cred, sess.Ref())
		require.NoError(t, err)
		_, err = st.List(ctx, cred, "app", "u", store.ListOptions{})
		require.NoError(t, err)
		other, ocred := create(t, st, "app", "u", "other")
		require.NoError(t, st.RevokeToken(ctx, tokenOf(t, st, other, ocred), other.Ref()))
		requireTTLs(t, b, st, sess)
		require.NoError(t, st.Delete(ctx, cred, sess.Ref()))
		requireTTLs(t, b, st)
	})
}

// tokenOf issues a fresh token through cred, for tests that revoke one.
func tokenOf(t *testing.T, st *store.Store, s *store.Session,
	cred store.Credential,
) tokens.Token {
	t.Helper()
	tok, _, err := st.IssueToken(ctx, cred, s.Ref())
	require.NoError(t, err)
	return tok
}

func TestAbsoluteLifetimeBeatsActivity(t *testing.T) {
	t.Run("miniredis", func(t *testing.T) {
		b := testredis.Mini(t)
		lifetime(t, b, 10*time.Minute, 30*time.Minute, 5*time.Minute)
	})
	t.Run("RealRedis", func(t *testing.T) {
		b := testredis.Standalone(t)
		lifetime(t, b, 1500*time.Millisecond, 3*time.Second, 500*time.Millisecond)
	})
}

// lifetime keeps a session busy every step under an idle timeout and
// checks that it still ends at its absolute lifetime.
func lifetime(t *testing.T, b testredis.Backend, idle, life,
	step time.Duration,
) {
	st := newStore(t, b, store.Options{IdleTimeout: idle, MaxLifetime: life,
		TokenTTL: life})
	sess, cred := create(t, st, "app", "u", "s")
	elapsed := time.Duration(0)
	for elapsed+step < life-step/2 {
		b.Sleep(step)
		elapsed += step
		_, err := st.Get(ctx, cred, sess.Ref(), nil)
		require.NoError(t, err, "alive after %v", elapsed)
		requireTTLs(t, b, st, sess)
	}
	b.Sleep(life - elapsed + step/5)
	_, err := st.Get(ctx, store.Admin, sess.Ref(), nil)
	require.ErrorIs(t, err, store.ErrNotFound)
}

func TestIdleTimeout(t *testing.T) {
	b := testredis.Mini(t)
	st := newStore(t, b, store.Options{IdleTimeout: 10 * time.Minute})
	sess, cred := create(t, st, "app", "u", "s")
	b.Sleep(9 * time.Minute)
	_, err := st.Get(ctx, cred, sess.Ref(), nil)
	require.NoError(t, err)
	b.Sleep(9 * time.Minute)
	_, err = st.AppendEvent(ctx, cred, sess, event("e", nil))
	require.NoError(t, err)
	b.Sleep(11 * time.Minute)
	_, err = st.AppendEvent(ctx, store.Admin, sess, event("late", nil))
	require.ErrorIs(t, err, store.ErrNotFound)
	keys, err := testredis.Keys(ctx, b.Client, b.Prefix)
	require.NoError(t, err)
	for _, k := range keys {
		require.True(t, permanent(k), "left behind: %q", k)
	}
}

func TestPeekLeavesTheIdleExpiry(t *testing.T) {
	b := testredis.Mini(t)
	st := newStore(t, b, store.Options{IdleTimeout: 10 * time.Minute})
	sess, _ := create(t, st, "app", "u", "s")
	b.Sleep(6 * time.Minute)
	got, err := st.Get(ctx, store.Admin, sess.Ref(), &store.GetOptions{Peek: true})
	require.NoError(t, err)
	require.Equal(t, sess.Info.Expires, got.Info.Expires)
	b.Sleep(5 * time.Minute)
	_, err = st.Get(ctx, store.Admin, sess.Ref(), &store.GetOptions{Peek: true})
	require.ErrorIs(t, err, store.ErrNotFound)
}
