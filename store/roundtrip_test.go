package store_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/testredis"
	"github.com/sessionguard/sessionguard/store"
)

// counter counts what a client sends: each single command and each
// pipeline is one round trip. The handshake of a new connection (HELLO,
// CLIENT SETINFO) is not part of any operation and is not counted.
type counter struct{ trips atomic.Int64 }

func connSetup(cmds ...redis.Cmder) bool {
	for _, c := range cmds {
		if n := c.Name(); n != "hello" && n != "client" {
			return false
		}
	}
	return true
}

func (c *counter) DialHook(next redis.DialHook) redis.DialHook { return next }

func (c *counter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if !connSetup(cmd) {
			c.trips.Add(1)
		}
		return next(ctx, cmd)
	}
}

func (c *counter) ProcessPipelineHook(next redis.ProcessPipelineHook,
) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		if !connSetup(cmds...) {
			c.trips.Add(1)
		}
		return next(ctx, cmds)
	}
}

var _ redis.Hook = (*counter)(nil)

func TestEveryOperationIsOneRoundTrip(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		st := newStore(t, b, store.Options{})
		c := &counter{}
		b.Client.AddHook(c)
		one := func(name string, op func() error) {
			t.Helper()
			before := c.trips.Load()
			require.NoError(t, op(), name)
			require.Equal(t, int64(1), c.trips.Load()-before, name)
		}
		var sess *store.Session
		var cred store.Credential
		one("create", func() error {
			s, tok, err := st.Create(ctx, "app", "u", store.CreateOptions{})
			sess, cred = s, store.Bearer(tok)
			return err
		})
		one("append", func() error {
			_, err := st.AppendEvent(ctx, cred, sess, event("e1",
				map[string]any{"k": 1, "user:k": 2, "temp:k": 3}))
			return err
		})
		one("get", func() error {
			_, err := st.Get(ctx, cred, sess.Ref(),
				&store.GetOptions{NumRecentEvents: 1})
			return err
		})
		one("list", func() error {
			_, err := st.List(ctx, cred, "app", "u", store.ListOptions{})
			return err
		})
		one("authenticate", func() error {
			return st.Authenticate(ctx, cred, sess.Ref())
		})
		one("issue token", func() error {
			_, _, err := st.IssueToken(ctx, cred, sess.Ref())
			return err
		})
		one("delete", func() error { return st.Delete(ctx, cred, sess.Ref()) })

		// App state lives in a slot of its own: an event that changes it
		// costs a second round trip, after the session's write succeeded.
		s2, c2 := create(t, st, "app", "u", "s2")
		before := c.trips.Load()
		_, err := st.AppendEvent(ctx, c2, s2, event("e", map[string]any{
			"app:model": "m"}))
		require.NoError(t, err)
		require.Equal(t, int64(2), c.trips.Load()-before)
	})
}
