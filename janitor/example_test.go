package janitor_test

import (
	"context"
	"fmt"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/sessionguard/sessionguard/internal/keyspace"
	"github.com/sessionguard/sessionguard/janitor"
	"github.com/sessionguard/sessionguard/store"
)

// A session's metadata deleted by hand leaves its index entries, data
// and token behind; a dry run reports them, a run removes them.
func ExampleRun() {
	ctx := context.Background()
	mr := miniredis.NewMiniRedis()
	if err := mr.Start(); err != nil {
		panic(err)
	}
	defer mr.Close()
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	defer rdb.Close()

	st, _ := store.New(rdb, store.Options{})
	sess, _, _ := st.Create(ctx, "app", "ada", store.CreateOptions{})
	_, _ = st.AppendEvent(ctx, store.Admin, sess, &store.Event{Author: "user"})
	rdb.HDel(ctx, keyspace.ForUser("sg", "app", "ada").Sessions(), sess.ID)

	for _, dry := range []bool{true, false} {
		rep, err := janitor.Run(ctx, rdb, janitor.Options{DryRun: dry})
		if err != nil {
			panic(err)
		}
		fmt.Println("dry run:", rep.DryRun)
		for _, kind := range janitor.Kinds {
			if rep.Fixed[kind] > 0 {
				fmt.Printf("  %s: %d\n", kind, rep.Fixed[kind])
			}
		}
	}
	// Output:
	// dry run: true
	//   orphan_index_entries: 1
	//   orphan_tokens: 1
	//   orphan_session_keys: 3
	//   empty_user_keys: 4
	// dry run: false
	//   orphan_index_entries: 1
	//   orphan_tokens: 1
	//   orphan_session_keys: 3
	//   empty_user_keys: 4
}
