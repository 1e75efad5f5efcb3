package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/sessionguard/sessionguard/store"
)

func Example() {
	ctx := context.Background()
	mr, _ := miniredis.Run() // any Redis: standalone, Sentinel or Cluster
	defer mr.Close()
	rdb := redis.NewUniversalClient(&redis.UniversalOptions{
		Addrs: []string{mr.Addr()}})

	st, err := store.New(rdb, store.Options{MaxSessionsPerUser: 5})
	if err != nil {
		panic(err)
	}

	// The backend creates a session and hands its token to the agent.
	sess, tok, err := st.Create(ctx, "code_agent", "user-7f3a",
		store.CreateOptions{ID: "s1"})
	if err != nil {
		panic(err)
	}
	cred := store.Bearer(tok)

	// The agent appends events; their state deltas apply by scope.
	ev := &store.Event{Author: "user", Actions: store.Actions{
		StateDelta: map[string]json.RawMessage{
			"user:language": json.RawMessage(`"es"`),
			"temp:scratch":  json.RawMessage(`1`),
		}}}
	if _, err := st.AppendEvent(ctx, cred, sess, ev); err != nil {
		panic(err)
	}

	// Another pod reads the session back.
	got, err := st.Get(ctx, cred, store.Ref{App: "code_agent",
		User: "user-7f3a", ID: "s1"}, &store.GetOptions{NumRecentEvents: 10})
	if err != nil {
		panic(err)
	}
	fmt.Println(len(got.Events), string(got.State["user:language"]),
		got.Version)

	// A copy that fell behind cannot overwrite newer history.
	stale := *got
	stale.Version--
	_, err = st.AppendEvent(ctx, cred, &stale, &store.Event{Author: "user"})
	fmt.Println(errors.Is(err, store.ErrConflict))

	// Closing frees the user's slot and revokes the token.
	_ = st.Delete(ctx, cred, got.Ref())
	_, err = st.Get(ctx, cred, got.Ref(), nil)
	fmt.Println(errors.Is(err, store.ErrUnauthenticated))
	// Output:
	// 1 "es" 2
	// true
	// true
}
