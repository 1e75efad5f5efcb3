package store_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/keyspace"
	"github.com/sessionguard/sessionguard/internal/testredis"
	"github.com/sessionguard/sessionguard/store"
	"github.com/sessionguard/sessionguard/tokens"
)

func TestOddIDsNeverCollide(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		st := newStore(t, b, store.Options{})
		users := []struct{ app, user string }{
			{"a:b", "c"}, {"a", "b:c"}, {"a", "{b}"}, {"a", "b}"},
			{"a", "{b"}, {"a", "line\nbreak"}, {"a", "üñí©ødé"},
			{"a", "%7Bb%7D"}, {"a", "b c"}, {"a", strings.Repeat("x", 512)},
		}
		seen := map[string]bool{}
		for i, u := range users {
			sess, cred := create(t, st, u.app, u.user, "s1")
			_, err := st.AppendEvent(ctx, cred, sess,
				event("e", map[string]any{"owner": i}))
			require.NoError(t, err, "%q/%q", u.app, u.user)
			base := keyspace.ForUser(b.Prefix, u.app, u.user).Base()
			require.False(t, seen[base], "collision: %q", base)
			seen[base] = true
		}
		for i, u := range users {
			got, err := st.Get(ctx, store.Admin,
				store.Ref{App: u.app, User: u.user, ID: "s1"}, nil)
			require.NoError(t, err)
			require.Len(t, got.Events, 1)
			require.JSONEq(t, strconv.Itoa(i), string(got.State["owner"]))
		}
	})
}

func TestBadIDsAreRefused(t *testing.T) {
	st := newStore(t, testredis.Mini(t), store.Options{})
	cases := []struct{ app, user, id string }{
		{"app", "", "s"},
		{"", "u", "s"},
		{"app", strings.Repeat("x", 10*1024), "s"},
		{"app", "u", strings.Repeat("x", 10*1024)},
		{"app", string([]byte{0xff, 0xfe}), "s"},
	}
	for _, c := range cases {
		_, _, err := st.Create(ctx, c.app, c.user, store.CreateOptions{ID: c.id})
		require.ErrorIs(t, err, store.ErrInvalidArgument, "%.20q", c.user)
		_, err = st.Get(ctx, store.Admin, store.Ref{App: c.app, User: c.user,
			ID: c.id}, nil)
		require.ErrorIs(t, err, store.ErrInvalidArgument)
	}
}

func TestUsersShareSessionIDsWithoutSeeingEachOther(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		st := newStore(t, b, store.Options{})
		s1, c1 := create(t, st, "app", "u1", "s1")
		s2, c2 := create(t, st, "app", "u2", "s1")
		_, err := st.AppendEvent(ctx, c1, s1, event("mine", nil))
		require.NoError(t, err)

		got, err := st.Get(ctx, c2, s2.Ref(), nil)
		require.NoError(t, err)
		require.Empty(t, got.Events)
		_, err = st.Get(ctx, c2, s1.Ref(), nil)
		require.ErrorIs(t, err, store.ErrForbidden)
		_, err = st.List(ctx, c2, "app", "u1", store.ListOptions{})
		require.ErrorIs(t, err, store.ErrForbidden)
		err = st.Delete(ctx, c1, s2.Ref())
		require.ErrorIs(t, err, store.ErrForbidden)
		_, err = st.Get(ctx, c1, s1.Ref(), nil)
		require.NoError(t, err)
	})
}

func TestTokenOpensOnlyItsSession(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		st := newStore(t, b, store.Options{})
		a, ca := create(t, st, "app", "u", "a")
		other, _ := create(t, st, "app", "u", "b")
		_, err := st.Get(ctx, ca, other.Ref(), nil)
		require.ErrorIs(t, err, store.ErrForbidden)
		require.ErrorIs(t, err, store.ErrAccessDenied)
		_, err = st.Get(ctx, store.Anonymous, a.Ref(), nil)
		require.ErrorIs(t, err, store.ErrUnauthenticated)
		page, err := st.List(ctx, ca, "app", "u", store.ListOptions{})
		require.NoError(t, err)
		require.Len(t, page.Sessions, 2)

		open := newStore(t, b, store.Options{DisableIsolation: true})
		x, cx := create(t, open, "app", "v", "x")
		y, _ := create(t, open, "app", "v", "y")
		_, err = open.Get(ctx, cx, y.Ref(), nil)
		require.NoError(t, err, "without isolation a token opens its user's sessions")
		_, err = open.Get(ctx, cx, store.Ref{App: "app", User: "w", ID: x.ID}, nil)
		require.ErrorIs(t, err, store.ErrForbidden)

		noauth := newStore(t, b, store.Options{DisableAuth: true})
		n, tok, err := noauth.Create(ctx, "app", "z", store.CreateOptions{})
		require.NoError(t, err)
		require.True(t, tok.IsZero())
		_, err = noauth.Get(ctx, store.Anonymous, n.Ref(), nil)
		require.NoError(t, err)
	})
}

func TestDeletedSessionIsNeverRecreated(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		st := newStore(t, b, store.Options{MaxSessionsPerUser: 1})
		sess, cred := create(t, st, "app", "u", "s")
		_, err := st.AppendEvent(ctx, cred, sess, event("e1", map[string]any{
			"k": 1, "user:pref": "x"}))
		require.NoError(t, err)
		stale := *sess
		require.NoError(t, st.Delete(ctx, cred, sess.Ref()))

		_, err = st.AppendEvent(ctx, store.Admin, &stale, event("e2",
			map[string]any{"k": 2}))
		require.ErrorIs(t, err, store.ErrNotFound)
		_, err = st.Get(ctx, store.Admin, sess.Ref(), nil)
		require.ErrorIs(t, err, store.ErrNotFound)
		require.ErrorIs(t, st.Delete(ctx, store.Admin, sess.Ref()),
			store.ErrNotFound)
		keys, err := testredis.Keys(ctx, b.Client, b.Prefix)
		require.NoError(t, err)
		u := keyspace.ForUser(b.Prefix, "app", "u")
		require.Equal(t, []string{u.State()}, keys,
			"only the permanent user state stays")

		// The freed slot can be used again, and the old token is dead.
		again, _ := create(t, st, "app", "u", "s")
		_, err = st.Get(ctx, cred, again.Ref(), nil)
		require.ErrorIs(t, err, store.ErrUnauthenticated)
	})
}

func TestNoRawTokenInRedis(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		st := newStore(t, b, store.Options{})
		var secrets []string
		for _, user := range []string{"u1", "u2"} {
			sess, tok, err := st.Create(ctx, "app", user, store.CreateOptions{})
			require.NoError(t, err)
			secrets = append(secrets, mustToken(t, tok))
			more, _, err := st.IssueToken(ctx, store.Bearer(tok), sess.Ref())
			require.NoError(t, err)
			secrets = append(secrets, mustToken(t, more))
			_, err = st.AppendEvent(ctx, store.Bearer(more), sess, event("e", nil))
			require.NoError(t, err)
		}
		dump := dumpAll(t, b)
		for _, s := range secrets {
			require.NotContains(t, dump, s)
			require.NotContains(t, dump, s[4:24], "a token's body")
		}
	})
}

// dumpAll returns every key and value under the backend's prefix.
func dumpAll(t *testing.T, b testredis.Backend) string {
	t.Helper()
	keys, err := testredis.Keys(ctx, b.Client, b.Prefix)
	require.NoError(t, err)
	var out strings.Builder
	for _, k := range keys {
		out.WriteString(k + "\n")
		typ, err := b.Client.Type(ctx, k).Result()
		require.NoError(t, err)
		var vals []string
		switch typ {
		case "hash":
			m, err := b.Client.HGetAll(ctx, k).Result()
			require.NoError(t, err)
			for f, v := range m {
				vals = append(vals, f, v)
			}
		case "zset":
			vals, err = b.Client.ZRange(ctx, k, 0, -1).Result()
			require.NoError(t, err)
		default:
			t.Fatalf("unexpected %s key %q", typ, k)
		}
		out.WriteString(strings.Join(vals, "\n") + "\n")
	}
	return out.String()
}

func TestStoredHashAndExpiredTokensAreRejected(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		keys, err := tokens.NewKeyring(tokens.Key{ID: "k1",
			Secret: []byte(strings.Repeat("s", 32))})
		require.NoError(t, err)
		st := newStore(t, b, store.Options{Keys: keys, TokenTTL: 1e9})
		sess, tok, err := st.Create(ctx, "app", "u", store.CreateOptions{})
		require.NoError(t, err)
		_, err = tokens.Parse(keys.Hash(tok))
		require.ErrorIs(t, err, tokens.ErrMalformed,
			"the stored form is not a token")

		b.Sleep(1100 * 1e6)
		err = st.Authenticate(ctx, store.Bearer(tok), sess.Ref())
		require.ErrorIs(t, err, store.ErrUnauthenticated)
		_, err = st.Get(ctx, store.Admin, sess.Ref(), nil)
		require.NoError(t, err, "the session outlives its token")

		fresh, _, err := st.IssueToken(ctx, store.Admin, sess.Ref())
		require.NoError(t, err)
		require.NoError(t, st.Authenticate(ctx, store.Bearer(fresh), sess.Ref()))
		require.NoError(t, st.RevokeToken(ctx, fresh, sess.Ref()))
		err = st.Authenticate(ctx, store.Bearer(fresh), sess.Ref())
		require.ErrorIs(t, err, store.ErrUnauthenticated)
	})
}

func TestForeignTokensAreUnauthenticated(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		st := newStore(t, b, store.Options{})
		sess, _ := create(t, st, "app", "u", "s")
		// Well formed, but minted by another server's key.
		other := newStore(t, b, store.Options{})
		_, foreign := create(t, other, "app", "u", "x")
		_, err := st.Get(ctx, foreign, sess.Ref(), nil)
		require.ErrorIs(t, err, store.ErrUnauthenticated)
	})
}

func TestOddSessionIDsWorkWithTheirTokens(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		st := newStore(t, b, store.Options{MaxSessionsPerUser: 20})
		ids := []string{"a\nb", "x\n0123456789abcdef\n1", "\n", "a b",
			"{s}", "s:1", "ü/..", "%41"}
		for _, id := range ids {
			sess, cred := create(t, st, "app", "u", id)
			require.Equal(t, id, sess.ID)
			_, err := st.AppendEvent(ctx, cred, sess, event("e", nil))
			require.NoError(t, err, "%q", id)
			got, err := st.Get(ctx, cred, sess.Ref(),
				&store.GetOptions{WithTokens: true})
			require.NoError(t, err, "%q", id)
			require.Len(t, got.Info.Tokens, 1, "%q", id)
		}
		page, err := st.List(ctx, store.Admin, "app", "u",
			store.ListOptions{CountTokens: true})
		require.NoError(t, err)
		require.Len(t, page.Sessions, len(ids))
		for _, s := range page.Sessions {
			require.Equal(t, 1, s.Info.LiveTokens, "%q", s.ID)
			require.NoError(t, st.Delete(ctx, store.Admin, s.Ref()))
		}
		keys, err := testredis.Keys(ctx, b.Client, b.Prefix)
		require.NoError(t, err)
		require.Empty(t, keys, "every token record went with its session")
	})
}

func TestTokensPerSessionAreCapped(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		st := newStore(t, b, store.Options{MaxTokensPerSession: 3,
			TokenTTL: time.Second})
		sess, cred := create(t, st, "app", "u", "s")
		for range 2 {
			_, _, err := st.IssueToken(ctx, cred, sess.Ref())
			require.NoError(t, err)
		}
		_, _, err := st.IssueToken(ctx, store.Admin, sess.Ref())
		requireLimit(t, err, "max_tokens_per_session", store.ErrLimitExceeded)

		b.Sleep(1100 * time.Millisecond) // all three expire
		_, _, err = st.IssueToken(ctx, store.Admin, sess.Ref())
		require.NoError(t, err)
		u := keyspace.ForUser(b.Prefix, "app", "u")
		n, err := b.Client.HLen(ctx, u.Tokens()).Result()
		require.NoError(t, err)
		require.EqualValues(t, 1, n, "expired records went on the way")
	})
}
