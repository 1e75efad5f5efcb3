package store_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/testredis"
	"github.com/sessionguard/sessionguard/store"
)

func TestAppendThroughPartialCopy(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		st := newStore(t, b, store.Options{})
		sess, cred := create(t, st, "app", "u", "s")
		for i := range 10 {
			_, err := st.AppendEvent(ctx, cred, sess, event(fmt.Sprint("e", i), nil))
			require.NoError(t, err)
		}
		short, err := st.Get(ctx, cred, sess.Ref(),
			&store.GetOptions{NumRecentEvents: 2})
		require.NoError(t, err)
		require.Equal(t, []string{"e8", "e9"}, eventIDs(short))
		require.Equal(t, sess.Version, short.Version)

		_, err = st.AppendEvent(ctx, cred, short, event("e10", nil))
		require.NoError(t, err)
		full, err := st.Get(ctx, cred, sess.Ref(), nil)
		require.NoError(t, err)
		require.Len(t, full.Events, 11)
		require.Equal(t, "e10", full.Events[10].ID)
	})
}

func TestConcurrentAppendsFromOneVersion(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		st := newStore(t, b, store.Options{})
		sess, cred := create(t, st, "app", "u", "s")
		_, err := st.AppendEvent(ctx, cred, sess, event("first", nil))
		require.NoError(t, err)
		a, err := st.Get(ctx, cred, sess.Ref(), nil)
		require.NoError(t, err)
		c, err := st.Get(ctx, cred, sess.Ref(), nil)
		require.NoError(t, err)

		before := a.Version
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, copy := range []*store.Session{a, c} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = st.AppendEvent(ctx, cred, copy,
					event(fmt.Sprint("w", i), map[string]any{"writer": i}))
			}()
		}
		wg.Wait()
		conflicts := 0
		for _, err := range errs {
			if errors.Is(err, store.ErrConflict) {
				conflicts++
			} else {
				require.NoError(t, err)
			}
		}
		require.Equal(t, 1, conflicts)
		got, err := st.Get(ctx, cred, sess.Ref(), nil)
		require.NoError(t, err)
		require.Len(t, got.Events, 2)
		require.Equal(t, before+1, got.Version)
	})
}

func TestRetriedAppendIsStoredOnce(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		st := newStore(t, b, store.Options{})
		sess, cred := create(t, st, "app", "u", "s")
		stale := *sess
		first, err := st.AppendEvent(ctx, cred, sess, event("once", nil))
		require.NoError(t, err)
		again, err := st.AppendEvent(ctx, cred, &stale, event("once", nil))
		require.NoError(t, err, "a retry carries the version from before")
		require.Equal(t, first.Timestamp, again.Timestamp)
		got, err := st.Get(ctx, cred, sess.Ref(), nil)
		require.NoError(t, err)
		require.Len(t, got.Events, 1)
	})
}

func TestEventOrderAndFilters(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		st := newStore(t, b, store.Options{})
		sess, cred := create(t, st, "app", "u", "s")
		stamps := []float64{100, 200, 200, 200, 300}
		for i, ts := range stamps {
			ev := event(fmt.Sprint("e", i), nil)
			ev.Timestamp = ts
			_, err := st.AppendEvent(ctx, cred, sess, ev)
			require.NoError(t, err)
		}
		cases := []struct {
			opts store.GetOptions
			want []string
		}{
			{store.GetOptions{}, []string{"e0", "e1", "e2", "e3", "e4"}},
			{store.GetOptions{AfterTimestamp: 200},
				[]string{"e1", "e2", "e3", "e4"}},
			{store.GetOptions{AfterTimestamp: 200, NumRecentEvents: 2},
				[]string{"e3", "e4"}},
			{store.GetOptions{AfterTimestamp: 201}, []string{"e4"}},
			{store.GetOptions{AfterTimestamp: 301}, []string{}},
			{store.GetOptions{NumRecentEvents: 3}, []string{"e2", "e3", "e4"}},
			{store.GetOptions{NumRecentEvents: 50},
				[]string{"e0", "e1", "e2", "e3", "e4"}},
		}
		for _, c := range cases {
			got, err := st.Get(ctx, cred, sess.Ref(), &c.opts)
			require.NoError(t, err)
			require.Equal(t, c.want, eventIDs(got), "%+v", c.opts)
		}
	})
}

func TestStateScopes(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		st := newStore(t, b, store.Options{})
		a, ca := create(t, st, "app", "alice", "a1")
		a2, ca2 := create(t, st, "app", "alice", "a2")
		bob, cb := create(t, st, "app", "bob", "b1")
		stored, err := st.AppendEvent(ctx, ca, a, event("e1", map[string]any{
			"app:model": "m1", "user:lang": "es", "temp:scratch": 1,
			"files": []string{"x.py"},
		}))
		require.NoError(t, err)
		require.NotContains(t, stored.Actions.StateDelta, "temp:scratch")
		require.NotContains(t, a.State, "temp:scratch")

		got, err := st.Get(ctx, ca2, a2.Ref(), nil)
		require.NoError(t, err)
		require.JSONEq(t, `"m1"`, string(got.State["app:model"]))
		require.JSONEq(t, `"es"`, string(got.State["user:lang"]))
		require.NotContains(t, got.State, "files")

		got, err = st.Get(ctx, cb, bob.Ref(), nil)
		require.NoError(t, err)
		require.JSONEq(t, `"m1"`, string(got.State["app:model"]))
		require.NotContains(t, got.State, "user:lang")

		_, err = st.AppendEvent(ctx, ca, a, event("e2", map[string]any{
			"user:lang": nil, "files": nil}))
		require.NoError(t, err)
		got, err = st.Get(ctx, ca, a.Ref(), nil)
		require.NoError(t, err)
		require.NotContains(t, got.State, "user:lang")
		require.NotContains(t, got.State, "files")
		require.Equal(t, got.State, a.State, "the caller's copy follows")
	})
}

func TestPartialEventsAreNotStored(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		st := newStore(t, b, store.Options{})
		sess, cred := create(t, st, "app", "u", "s")
		ev := event("p", map[string]any{"k": 1})
		ev.Partial = true
		got, err := st.AppendEvent(ctx, cred, sess, ev)
		require.NoError(t, err)
		require.True(t, got.Partial)
		read, err := st.Get(ctx, cred, sess.Ref(), nil)
		require.NoError(t, err)
		require.Empty(t, read.Events)
		require.NotContains(t, read.State, "k")
		require.Equal(t, sess.Version, read.Version)
	})
}

func TestEventsKeepUnknownFields(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		st := newStore(t, b, store.Options{})
		sess, cred := create(t, st, "app", "u", "s")
		in := `{"id":"e1","author":"m","timestamp":"2025-12-03T08:20:00.5Z",` +
			`"actions":{"stateDelta":{"a":{"deep":[1,2]}},"transferToAgent":"x"},` +
			`"content":{"parts":[{"text":"é 🙏"}]},"turnComplete":true,` +
			`"usageMetadata":{"totalTokenCount":843}}`
		var ev store.Event
		require.NoError(t, json.Unmarshal([]byte(in), &ev))
		_, err := st.AppendEvent(ctx, cred, sess, &ev)
		require.NoError(t, err)
		got, err := st.Get(ctx, cred, sess.Ref(), nil)
		require.NoError(t, err)
		out, err := json.Marshal(got.Events[0])
		require.NoError(t, err)
		want := `{"id":"e1","author":"m","timestamp":1764750000.5,` +
			`"actions":{"stateDelta":{"a":{"deep":[1,2]}},"transferToAgent":"x"},` +
			`"content":{"parts":[{"text":"é 🙏"}]},"turnComplete":true,` +
			`"usageMetadata":{"totalTokenCount":843}}`
		require.JSONEq(t, want, string(out))
	})
}

func TestBadEventsAreRefused(t *testing.T) {
	st := newStore(t, testredis.Mini(t), store.Options{})
	sess, cred := create(t, st, "app", "u", "s")
	bad := []*store.Event{
		{ID: "x", Actions: store.Actions{StateDelta: map[string]json.RawMessage{
			"": json.RawMessage(`1`)}}},
		{ID: "x", Actions: store.Actions{StateDelta: map[string]json.RawMessage{
			"k": json.RawMessage(`{nope`)}}},
		{ID: "x", Timestamp: -1},
		{ID: string([]byte{0xff})},
	}
	for _, ev := range bad {
		_, err := st.AppendEvent(ctx, cred, sess, ev)
		require.ErrorIs(t, err, store.ErrInvalidArgument)
	}
	var ev store.Event
	require.Error(t, json.Unmarshal([]byte(`{"timestamp":"yesterday"}`), &ev))
	got, err := st.Get(ctx, cred, sess.Ref(), nil)
	require.NoError(t, err)
	require.Empty(t, got.Events)
}
