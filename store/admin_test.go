package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/testredis"
	"github.com/sessionguard/sessionguard/store"
)

// allUsers walks Users to the end, count at a time.
func allUsers(t *testing.T, st *store.Store, app string, count int) []string {
	t.Helper()
	var all []string
	cursor := ""
	for {
		users, next, err := st.Users(ctx, app, cursor, count)
		require.NoError(t, err)
		for _, u := range users {
			if !slices.Contains(all, u) {
				all = append(all, u)
			}
		}
		if cursor = next; cursor == "" {
			slices.Sort(all)
			return all
		}
	}
}

func TestUsers(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		st := newStore(t, b, store.Options{})
		want := []string{"a:b", "u1", "u2", "{odd}\n", "ü"}
		for _, u := range want {
			create(t, st, "app", u, "")
		}
		create(t, st, "app:other", "u3", "")
		create(t, st, "ap", "u4", "")
		slices.Sort(want)

		require.Equal(t, want, allUsers(t, st, "app", 2))
		require.Equal(t, want, allUsers(t, st, "app", 100))
		require.Equal(t, []string{"u3"}, allUsers(t, st, "app:other", 0))
		require.Empty(t, allUsers(t, st, "nobody", 10))

		_, _, err := st.Users(ctx, "app", "gone:1/5", 10)
		require.ErrorIs(t, err, store.ErrInvalidArgument)
	})
}

func TestStats(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		st := newStore(t, b, store.Options{IdleTimeout: time.Second,
			MaxLifetime: time.Hour})
		s1, cred := create(t, st, "chat", "u1", "s1")
		_, err := st.AppendEvent(ctx, cred, s1, event("e1", nil))
		require.NoError(t, err)
		create(t, st, "chat", "u1", "s2")
		create(t, st, "chat", "u2", "s3")
		create(t, st, "code", "u1", "s4")

		stats, err := st.Stats(ctx)
		require.NoError(t, err)
		require.Len(t, stats, 2)
		chat := stats[0]
		require.Equal(t, "chat", chat.App)
		require.Equal(t, [3]int64{2, 3, 1},
			[3]int64{chat.Users, chat.Sessions, chat.Events})
		require.Positive(t, chat.Bytes)
		require.Equal(t, "code", stats[1].App)

		b.Sleep(1500 * time.Millisecond)
		stats, err = st.Stats(ctx)
		require.NoError(t, err)
		require.Empty(t, stats, "expired sessions do not count")
	})
}

func TestRevokeUser(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		st := newStore(t, b, store.Options{})
		for _, id := range []string{"s1", "s2", "s3"} {
			create(t, st, "app", "u", id)
		}
		other, _ := create(t, st, "app", "v", "s1")

		_, err := st.RevokeUser(ctx, "app", "u", "nope")
		require.ErrorIs(t, err, store.ErrNotFound)

		closed, err := st.RevokeUser(ctx, "app", "u", "s2")
		require.NoError(t, err)
		require.ElementsMatch(t, []string{"s1", "s3"}, closed)
		page, err := st.List(ctx, store.Admin, "app", "u", store.ListOptions{})
		require.NoError(t, err)
		require.Len(t, page.Sessions, 1)
		require.Equal(t, "s2", page.Sessions[0].ID)

		closed, err = st.RevokeUser(ctx, "app", "u", "")
		require.NoError(t, err)
		require.Equal(t, []string{"s2"}, closed)
		ok, err := st.Exists(ctx, other.Ref())
		require.NoError(t, err)
		require.True(t, ok, "another user's session stays")
	})
}

func TestExistsDoesNotTouch(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		st := newStore(t, b, store.Options{IdleTimeout: 2 * time.Second})
		sess, _ := create(t, st, "app", "u", "s1")
		ref := sess.Ref()

		b.Sleep(time.Second)
		ok, err := st.Exists(ctx, ref)
		require.NoError(t, err)
		require.True(t, ok)
		b.Sleep(1500 * time.Millisecond)
		ok, err = st.Exists(ctx, ref)
		require.NoError(t, err)
		require.False(t, ok, "Exists must not extend the idle timeout")

		ref.ID = "missing"
		ok, err = st.Exists(ctx, ref)
		require.NoError(t, err)
		require.False(t, ok)
	})
}
