package janitor_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/testredis"
	"github.com/sessionguard/sessionguard/janitor"
	"github.com/sessionguard/sessionguard/limits"
	"github.com/sessionguard/sessionguard/store"
)

func TestExpiredSessionsLeaveOnlyUserState(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		ctx := context.Background()
		f := newFixture(t, b)
		st := f.store(store.Options{MaxSessionsPerUser: 3,
			IdleTimeout: time.Second})
		state := map[string]json.RawMessage{"user:name": rawJSON(`"ada"`),
			"draft": rawJSON(`1`)}
		for _, id := range []string{"s1", "s2", "s3"} {
			create(t, st, "ada", id, state)
		}

		b.Sleep(1500 * time.Millisecond) // no process runs meanwhile
		rep := f.run(janitor.Options{})
		require.Zero(t, rep.SessionsExamined)

		require.Equal(t, []string{f.user("ada").State()}, f.allKeys())
		for _, id := range []string{"n1", "n2", "n3"} {
			create(t, st, "ada", id, nil)
		}
		_, _, err := st.Create(ctx, app, "ada", store.CreateOptions{})
		require.ErrorIs(t, err, store.ErrLimitExceeded)
	})
}

func TestExpiredSessionsBesideALiveOne(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		ctx := context.Background()
		f := newFixture(t, b)
		short := f.store(store.Options{IdleTimeout: time.Second})
		long := f.store(store.Options{IdleTimeout: time.Hour})
		state := map[string]json.RawMessage{"k": rawJSON(`"v"`)}
		for _, id := range []string{"s1", "s2", "s3"} {
			create(t, short, "ada", id, state)
		}
		// Created last, it keeps the per-user keys alive an hour.
		keep := create(t, long, "ada", "keep", nil)

		b.Sleep(1500 * time.Millisecond)
		want := fixed(janitor.ExpiredSessions, 3, janitor.OrphanTokens, 3)
		dry := f.run(janitor.Options{DryRun: true})
		require.Equal(t, want, dry.Fixed)
		rep := f.run(janitor.Options{})
		require.Equal(t, want, rep.Fixed)
		require.Equal(t, 1, rep.SessionsExamined)
		require.Equal(t, 1, rep.UsersExamined)

		u := f.user("ada")
		for _, key := range []string{u.Sessions(), u.Tokens()} {
			require.EqualValues(t, 1, f.hlen(key), key)
		}
		for _, key := range []string{u.Index(), u.Expiry(), u.Used()} {
			require.EqualValues(t, 1, f.zcard(key), key)
		}
		_, err := long.Get(ctx, keep.cred(), keep.ref, nil)
		require.NoError(t, err)
	})
}

func TestHandDeletedMetadata(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		ctx := context.Background()
		f := newFixture(t, b)
		st := f.store(store.Options{})
		gone := create(t, st, "ada", "gone", map[string]json.RawMessage{
			"draft": rawJSON(`"x"`), "user:name": rawJSON(`"ada"`),
			"app:motd": rawJSON(`"hi"`)})
		sess, err := st.Get(ctx, gone.cred(), gone.ref, nil)
		require.NoError(t, err)
		_, err = st.AppendEvent(ctx, gone.cred(), sess,
			&store.Event{Author: "user", Content: rawJSON(`{"text":"hi"}`)})
		require.NoError(t, err)
		keep := create(t, st, "ada", "keep", nil)
		// A key that only looks like ours is never judged.
		junk := f.user("ada").Base() + ":s:x:unknown"
		require.NoError(t, b.Client.Set(ctx, junk, "1", 0).Err())

		f.forgetMeta("ada", "gone")
		want := fixed(janitor.OrphanIndexEntries, 1,
			janitor.OrphanSessionKeys, 4, janitor.OrphanTokens, 1)

		before := f.snapshot()
		dry := f.run(janitor.Options{DryRun: true})
		require.Equal(t, want, dry.Fixed)
		require.Equal(t, 1, dry.SessionsExamined)
		require.Equal(t, before, f.snapshot())

		rep := f.run(janitor.Options{})
		require.Equal(t, want, rep.Fixed)
		require.Equal(t, 1, rep.SessionsExamined)
		require.Equal(t, 1, rep.UsersExamined)
		require.Equal(t, 6, rep.Total())

		u := f.user("ada")
		for _, key := range u.Session("gone").All() {
			require.NotContains(t, f.allKeys(), key)
		}
		require.Contains(t, f.allKeys(), junk)
		require.Contains(t, f.allKeys(), u.State())
		require.EqualValues(t, 1, f.hlen(u.Tokens()))
		require.EqualValues(t, 1, f.zcard(u.Index()))
		_, err = st.Get(ctx, keep.cred(), keep.ref, nil)
		require.NoError(t, err)
		err = st.Authenticate(ctx, gone.cred(), gone.ref)
		require.ErrorIs(t, err, store.ErrUnauthenticated)

		again := f.run(janitor.Options{})
		require.Zero(t, again.Total())
	})
}

func TestOrphansBeyondOneBatch(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		f := newFixture(t, b)
		st := f.store(store.Options{MaxSessionsPerUser: 200})
		orphans := createMany(t, st, "ada", "o", 150)
		f.forgetMeta("ada", ids(orphans)...)
		watch := &scriptWatch{}
		b.Client.AddHook(watch)

		// The sessions hash emptied by hand; the janitor empties the
		// idx, exp and used zsets and the tokens hash.
		want := fixed(janitor.OrphanIndexEntries, 150,
			janitor.OrphanTokens, 150, janitor.EmptyUserKeys, 4)
		dry := f.run(janitor.Options{DryRun: true, BatchSize: 100})
		require.Equal(t, want, dry.Fixed)
		rep := f.run(janitor.Options{BatchSize: 100})
		require.Equal(t, want, rep.Fixed)

		maxItems, calls, badCounts := watch.results()
		require.LessOrEqual(t, maxItems, 100)
		require.GreaterOrEqual(t, calls, 6) // 300 judgements a run
		require.Empty(t, badCounts)
		require.Empty(t, f.allKeys())
	})
}

func TestEvictedSessionKeys(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		ctx := context.Background()
		f := newFixture(t, b)
		st := f.store(store.Options{MaxSessionsPerUser: 1,
			OverLimit: limits.EvictLRU})
		old := create(t, st, "ada", "old", map[string]json.RawMessage{
			"draft": rawJSON(`1`)})
		sess, err := st.Get(ctx, old.cred(), old.ref, nil)
		require.NoError(t, err)
		_, err = st.AppendEvent(ctx, old.cred(), sess,
			&store.Event{Author: "user"})
		require.NoError(t, err)
		create(t, st, "ada", "new", nil) // evicts "old", not its data

		rep := f.run(janitor.Options{})
		require.Equal(t, fixed(janitor.OrphanSessionKeys, 4), rep.Fixed)
		require.Equal(t, 1, rep.SessionsExamined)
		for _, key := range f.user("ada").Session("old").All() {
			require.NotContains(t, f.allKeys(), key)
		}
	})
}

func TestConcurrentJanitors(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		ctx := context.Background()
		f := newFixture(t, b)
		st := f.store(store.Options{MaxSessionsPerUser: 300})
		users := []string{"ada", "bob", "cy", "dee"}
		live := map[string][]session{}
		for _, u := range users {
			orphans := createMany(t, st, u, "o", 250)
			live[u] = createMany(t, st, u, "live", 3)
			f.forgetMeta(u, ids(orphans)...)
		}

		var wg sync.WaitGroup
		start := make(chan struct{})
		reps := make([]janitor.Report, 2)
		errs := make([]error, 2)
		for i := range reps {
			wg.Go(func() {
				<-start
				reps[i], errs[i] = janitor.Run(ctx, b.Client,
					janitor.Options{Prefix: b.Prefix, BatchSize: 50})
			})
		}
		close(start)
		wg.Wait()

		require.NoError(t, errs[0])
		require.NoError(t, errs[1])
		// Each removal is counted by the one call that made it.
		for _, kind := range []string{janitor.OrphanIndexEntries,
			janitor.OrphanTokens} {
			require.Equal(t, 1000, reps[0].Fixed[kind]+reps[1].Fixed[kind],
				kind)
		}
		for _, u := range users {
			k := f.user(u)
			require.EqualValues(t, 3, f.hlen(k.Sessions()))
			require.EqualValues(t, 3, f.hlen(k.Tokens()))
			for _, z := range []string{k.Index(), k.Expiry(), k.Used()} {
				require.EqualValues(t, 3, f.zcard(z), z)
			}
			for _, s := range live[u] {
				_, err := st.Get(ctx, s.cred(), s.ref, nil)
				require.NoError(t, err)
			}
		}
		require.Zero(t, f.run(janitor.Options{}).Total())
	})
}

func TestRefreshedSessionsSurvive(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		ctx := context.Background()
		f := newFixture(t, b)
		st := f.store(store.Options{IdleTimeout: 2 * time.Second})
		var hot, cold []session
		for _, u := range []string{"ada", "bob"} {
			hot = append(hot, createMany(t, st, u, "hot", 5)...)
			cold = append(cold, createMany(t, st, u, "cold", 5)...)
		}

		stop := make(chan struct{})
		var wg sync.WaitGroup
		var mu sync.Mutex
		var expired int
		var runErr error
		for range 2 {
			wg.Go(func() {
				for {
					select {
					case <-stop:
						return
					case <-time.After(5 * time.Millisecond):
					}
					rep, err := janitor.Run(ctx, b.Client,
						janitor.Options{Prefix: b.Prefix, BatchSize: 3})
					mu.Lock()
					expired += rep.Fixed[janitor.ExpiredSessions]
					runErr = errors.Join(runErr, err)
					mu.Unlock()
				}
			})
		}

		// Read the hot sessions when they are about a second from expiry,
		// while the cold ones expire; a last read leaves them a margin
		// for the checks below on a slow machine.
		for round := 0; round <= 4; round++ {
			for _, s := range hot {
				_, err := st.Get(ctx, s.cred(), s.ref, nil)
				require.NoError(t, err, "round %d, %s", round, s.ref)
			}
			if round == 4 {
				break
			}
			if !b.Real() {
				time.Sleep(50 * time.Millisecond) // let janitors run
			}
			b.Sleep(time.Second)
		}
		close(stop)
		wg.Wait()
		expired += f.run(janitor.Options{}).Fixed[janitor.ExpiredSessions]

		require.NoError(t, runErr)
		require.Equal(t, len(cold), expired)
		for _, s := range cold {
			_, err := st.Get(ctx, store.Admin, s.ref, nil)
			require.ErrorIs(t, err, store.ErrNotFound)
		}
		for _, u := range []string{"ada", "bob"} {
			require.EqualValues(t, 5, f.hlen(f.user(u).Sessions()))
			require.EqualValues(t, 5, f.hlen(f.user(u).Tokens()))
		}
	})
}

func TestTokens(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		ctx := context.Background()
		f := newFixture(t, b)
		st := f.store(store.Options{TokenTTL: 2 * time.Second})
		a := create(t, st, "ada", "a", nil)
		// Issued before the wait, by a store with a longer token
		// lifetime: issuing after it would drop the expired record.
		fresh, _, err := f.store(store.Options{TokenTTL: time.Hour}).
			IssueToken(ctx, store.Admin, a.ref)
		require.NoError(t, err)
		b.Sleep(2500 * time.Millisecond) // a's first token expires

		deleted := create(t, st, "ada", "b", nil)
		f.forgetMeta("ada", "b")
		// "c" is deleted by hand and created again: its first token
		// belongs to the earlier incarnation.
		oldC := create(t, st, "ada", "c", nil)
		f.forgetMeta("ada", "c")
		newC := create(t, st, "ada", "c", nil)

		rep := f.run(janitor.Options{})
		require.Equal(t, fixed(janitor.ExpiredTokens, 1,
			janitor.OrphanTokens, 2, janitor.OrphanIndexEntries, 1),
			rep.Fixed)
		require.Equal(t, 2, rep.SessionsExamined)

		require.EqualValues(t, 2, f.hlen(f.user("ada").Tokens()))
		require.NoError(t, st.Authenticate(ctx, store.Bearer(fresh), a.ref))
		require.NoError(t, st.Authenticate(ctx, newC.cred(), newC.ref))
		for _, s := range []session{a, deleted, oldC} {
			err := st.Authenticate(ctx, s.cred(), s.ref)
			require.ErrorIs(t, err, store.ErrUnauthenticated, s.ref.ID)
		}
	})
}

func TestProgressAndLoop(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		f := newFixture(t, b)
		st := f.store(store.Options{})
		for _, u := range []string{"ada", "bob", "cy"} {
			create(t, st, u, "s", nil)
		}

		var last janitor.Progress
		rep := f.run(janitor.Options{BatchSize: 2,
			Progress: func(p janitor.Progress) { last = p }})
		require.Equal(t, 3, rep.UsersExamined)
		require.Equal(t, 3, rep.SessionsExamined)
		require.Equal(t, janitor.Progress{KeysScanned: rep.KeysScanned,
			UsersDone: 3}, last)

		ctx, cancel := context.WithCancel(context.Background())
		var reps []janitor.Report
		var errs []error
		janitor.Loop(ctx, b.Client, time.Millisecond,
			janitor.Options{Prefix: b.Prefix},
			func(r janitor.Report, err error) {
				reps, errs = append(reps, r), append(errs, err)
				if len(reps) == 3 {
					cancel()
				}
			})
		require.Len(t, reps, 3)
		for i, r := range reps {
			require.NoError(t, errs[i])
			require.Equal(t, 3, r.SessionsExamined)
		}
	})
}

func TestNilClient(t *testing.T) {
	rep, err := janitor.Run(context.Background(), nil, janitor.Options{})
	require.Error(t, err)
	require.Len(t, rep.Fixed, len(janitor.Kinds))
}

func TestDamagedKeysDoNotStopTheRun(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		ctx := context.Background()
		f := newFixture(t, b)
		st := f.store(store.Options{})
		for _, u := range []string{"ada", "bob"} {
			create(t, st, u, "s", nil)
			create(t, st, u, "gone", nil)
			f.forgetMeta(u, "gone")
		}
		// ada's idx is no zset: that user cannot be judged.
		require.NoError(t, b.Client.Del(ctx, f.user("ada").Index()).Err())
		require.NoError(t, b.Client.Set(ctx, f.user("ada").Index(), "x",
			0).Err())
		// Unreadable metadata is neither live nor expired: it stays, and
		// so do the tokens that name it.
		require.NoError(t, b.Client.HSet(ctx, f.user("bob").Sessions(),
			"s", "not json").Err())

		rep, err := janitor.Run(ctx, b.Client,
			janitor.Options{Prefix: b.Prefix})
		require.ErrorContains(t, err, "WRONGTYPE")
		require.ErrorContains(t, err, f.user("ada").Base())
		require.Equal(t, fixed(janitor.OrphanIndexEntries, 1,
			janitor.OrphanTokens, 1), rep.Fixed)
		require.Equal(t, 2, rep.UsersExamined)
		require.Zero(t, rep.SessionsExamined)
		require.EqualValues(t, 1, f.hlen(f.user("bob").Tokens()))
	})
}
