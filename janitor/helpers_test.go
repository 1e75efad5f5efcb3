package janitor_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/keyspace"
	"github.com/sessionguard/sessionguard/internal/testredis"
	"github.com/sessionguard/sessionguard/janitor"
	"github.com/sessionguard/sessionguard/store"
	"github.com/sessionguard/sessionguard/tokens"
)

const app = "app"

// fixture is one test's store and janitor settings on one backend.
type fixture struct {
	t    *testing.T
	b    testredis.Backend
	keys *tokens.Keyring
}

func newFixture(t *testing.T, b testredis.Backend) *fixture {
	if b.Real() {
		t.Cleanup(func() { deleteAll(t, b) })
	}
	return &fixture{t: t, b: b, keys: tokens.RandomKeyring()}
}

// store returns a store on the fixture's prefix. Stores of one fixture
// share a keyring, so each accepts the others' tokens.
func (f *fixture) store(opts store.Options) *store.Store {
	opts.Prefix, opts.Keys = f.b.Prefix, f.keys
	st, err := store.New(f.b.Client, opts)
	require.NoError(f.t, err)
	return st
}

// run runs the janitor on the fixture's prefix.
func (f *fixture) run(opts janitor.Options) janitor.Report {
	opts.Prefix = f.b.Prefix
	rep, err := janitor.Run(context.Background(), f.b.Client, opts)
	require.NoError(f.t, err)
	require.Equal(f.t, opts.DryRun, rep.DryRun)
	return rep
}

func (f *fixture) user(name string) keyspace.User {
	return keyspace.ForUser(f.b.Prefix, app, name)
}

// allKeys returns every key under the fixture's prefix, sorted.
func (f *fixture) allKeys() []string {
	keys, err := testredis.Keys(context.Background(), f.b.Client, f.b.Prefix)
	require.NoError(f.t, err)
	sort.Strings(keys)
	return keys
}

// snapshot renders every key under the prefix with its type and value.
func (f *fixture) snapshot() map[string]string {
	ctx := context.Background()
	c := f.b.Client
	out := map[string]string{}
	for _, k := range f.allKeys() {
		typ, err := c.Type(ctx, k).Result()
		require.NoError(f.t, err)
		var v any
		switch typ {
		case "hash":
			v, err = c.HGetAll(ctx, k).Result()
		case "zset":
			v, err = c.ZRangeWithScores(ctx, k, 0, -1).Result()
		case "string":
			v, err = c.Get(ctx, k).Result()
		}
		require.NoError(f.t, err)
		b, _ := json.Marshal(v)
		out[k] = typ + " " + string(b)
	}
	return out
}

// hlen and zcard read the size of one key.
func (f *fixture) hlen(key string) int64 {
	n, err := f.b.Client.HLen(context.Background(), key).Result()
	require.NoError(f.t, err)
	return n
}

func (f *fixture) zcard(key string) int64 {
	n, err := f.b.Client.ZCard(context.Background(), key).Result()
	require.NoError(f.t, err)
	return n
}

// forgetMeta deletes sessions' metadata by hand, as an operator or an
// eviction might, leaving every other trace behind.
func (f *fixture) forgetMeta(user string, ids ...string) {
	n, err := f.b.Client.HDel(context.Background(), f.user(user).Sessions(),
		ids...).Result()
	require.NoError(f.t, err)
	require.EqualValues(f.t, len(ids), n)
}

// session is a created session with its token.
type session struct {
	ref store.Ref
	tok tokens.Token
}

func (s session) cred() store.Credential { return store.Bearer(s.tok) }

func create(t *testing.T, st *store.Store, user, id string,
	state map[string]json.RawMessage,
) session {
	sess, tok, err := st.Create(context.Background(), app, user,
		store.CreateOptions{ID: id, State: state})
	require.NoError(t, err)
	return session{ref: sess.Ref(), tok: tok}
}

// createMany creates n sessions of user with ids prefix-0, prefix-1...
func createMany(t *testing.T, st *store.Store, user, prefix string, n int,
) []session {
	out := make([]session, n)
	for i := range out {
		out[i] = create(t, st, user, prefix+"-"+strconv.Itoa(i), nil)
	}
	return out
}

func ids(ss []session) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.ref.ID
	}
	return out
}

// fixed returns a Report.Fixed with the given counts and zero for the
// other kinds.
func fixed(kv ...any) map[string]int {
	m := map[string]int{}
	for _, k := range janitor.Kinds {
		m[k] = 0
	}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1].(int)
	}
	return m
}

func rawJSON(s string) json.RawMessage { return json.RawMessage(s) }

func deleteAll(t testing.TB, b testredis.Backend) {
	ctx := context.Background()
	keys, err := testredis.Keys(ctx, b.Client, b.Prefix)
	if err != nil {
		t.Logf("cleanup: %v", err)
		return
	}
	for _, k := range keys {
		b.Client.Del(ctx, k)
	}
}

// scriptWatch records the largest reconcile.lua call and the COUNT of
// every SCAN-family command, to check that work comes in bounded
// batches.
type scriptWatch struct {
	mu        sync.Mutex
	maxItems  int
	calls     int
	badCounts []string
}

func (w *scriptWatch) results() (maxItems, calls int, badCounts []string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.maxItems, w.calls, w.badCounts
}

func (w *scriptWatch) DialHook(next redis.DialHook) redis.DialHook {
	return next
}

func (w *scriptWatch) ProcessPipelineHook(next redis.ProcessPipelineHook,
) redis.ProcessPipelineHook {
	return next
}

func (w *scriptWatch) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		w.observe(cmd.Args())
		return next(ctx, cmd)
	}
}

func (w *scriptWatch) observe(args []any) {
	name := strings.ToLower(fmt.Sprint(args[0]))
	w.mu.Lock()
	defer w.mu.Unlock()
	switch name {
	case "evalsha", "eval":
		nkeys, _ := strconv.Atoi(fmt.Sprint(args[2]))
		// ARGV is the dry flag, three list lengths and the items.
		items := len(args) - 3 - nkeys - 4
		w.calls++
		w.maxItems = max(w.maxItems, items)
	case "scan", "hscan", "zscan":
		for i := range args {
			if strings.EqualFold(fmt.Sprint(args[i]), "count") &&
				fmt.Sprint(args[i+1]) != "100" {
				w.badCounts = append(w.badCounts, fmt.Sprint(args...))
			}
		}
	}
}
