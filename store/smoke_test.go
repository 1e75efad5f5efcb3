package store_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/testredis"
	"github.com/sessionguard/sessionguard/store"
)

func TestSmoke(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		ctx := context.Background()
		st, err := store.New(b.Client, store.Options{Prefix: b.Prefix})
		require.NoError(t, err)
		sess, tok, err := st.Create(ctx, "app", "u1", store.CreateOptions{
			State: map[string]json.RawMessage{"a": json.RawMessage(`1`), "user:x": json.RawMessage(`"y"`)}})
		require.NoError(t, err)
		t.Logf("%+v %v", sess, tok)
		cred := store.Bearer(tok)
		ev, err := st.AppendEvent(ctx, cred, sess, &store.Event{Author: "user",
			Actions: store.Actions{StateDelta: map[string]json.RawMessage{"b": json.RawMessage(`2`), "app:z": json.RawMessage(`3`), "temp:q": json.RawMessage(`4`)}}})
		require.NoError(t, err)
		t.Logf("%+v", ev)
		got, err := st.Get(ctx, cred, sess.Ref(), nil)
		require.NoError(t, err)
		j, _ := json.Marshal(got)
		t.Logf("%s v=%d", j, got.Version)
		page, err := st.List(ctx, cred, "app", "u1", store.ListOptions{})
		require.NoError(t, err)
		require.Len(t, page.Sessions, 1)
		require.NoError(t, st.Delete(ctx, cred, sess.Ref()))
		_, err = st.Get(ctx, store.Admin, sess.Ref(), nil)
		require.ErrorIs(t, err, store.ErrNotFound)
	})
}
