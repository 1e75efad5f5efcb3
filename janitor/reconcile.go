package janitor

import (
	"context"
	_ "embed"
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/sessionguard/sessionguard/internal/keyspace"
)

//go:embed scripts/reconcile.lua
var reconcileSource string

var reconcileScript = redis.NewScript(reconcileSource)

// looseKey is a session data key found by the scan, with its session.
type looseKey struct {
	key, sessionID string
}

// batch is one call of reconcile.lua for one user: the session ids and
// token hashes to judge and the data keys found on their own.
type batch struct {
	user     keyspace.User
	sessions []string
	tokens   []string
	loose    []looseKey
}

func (b *batch) len() int {
	return len(b.sessions) + len(b.tokens) + len(b.loose)
}

func (b *batch) reset() {
	b.sessions, b.tokens, b.loose = b.sessions[:0], b.tokens[:0], b.loose[:0]
}

// tally is what one call of reconcile.lua counted.
type tally struct {
	live, expiredSessions, orphanEntries    int
	expiredTokens, orphanTokens, orphanKeys int
	emptied                                 int
	// removed counts the elements taken (or, dry, to be taken) from
	// each per-user key, in userKeys order.
	removed [5]int
}

// userKeys returns the per-user keys reconcile.lua takes first.
func userKeys(u keyspace.User) []string {
	return []string{u.Sessions(), u.Index(), u.Expiry(), u.Used(),
		u.Tokens()}
}

// reconcile runs reconcile.lua on b. Every key it may touch is in
// KEYS, and all of them carry the user's hash tag.
func reconcile(ctx context.Context, rdb redis.UniversalClient, dry bool,
	b *batch,
) (tally, error) {
	keys := make([]string, 0, 5+4*len(b.sessions)+len(b.loose))
	keys = append(keys, userKeys(b.user)...)
	for _, id := range b.sessions {
		keys = append(keys, b.user.Session(id).All()...)
	}
	args := make([]any, 0, 4+b.len())
	args = append(args, flag(dry), len(b.sessions))
	for _, id := range b.sessions {
		args = append(args, id)
	}
	args = append(args, len(b.tokens))
	for _, h := range b.tokens {
		args = append(args, h)
	}
	args = append(args, len(b.loose))
	for _, l := range b.loose {
		keys = append(keys, l.key)
		args = append(args, l.sessionID)
	}
	v, err := reconcileScript.Run(ctx, rdb, keys, args...).Slice()
	if err != nil {
		return tally{}, err
	}
	return readTally(v)
}

func readTally(v []any) (tally, error) {
	var t tally
	if len(v) != 8 {
		return t, fmt.Errorf("janitor: unexpected script reply %v", v)
	}
	removed, ok := v[7].([]any)
	if !ok || len(removed) != len(t.removed) {
		return t, fmt.Errorf("janitor: unexpected script reply %v", v)
	}
	counts := []*int{&t.live, &t.expiredSessions, &t.orphanEntries,
		&t.expiredTokens, &t.orphanTokens, &t.orphanKeys, &t.emptied}
	for i, p := range counts {
		*p = toInt(v[i])
	}
	for i, x := range removed {
		t.removed[i] = toInt(x)
	}
	return t, nil
}

func toInt(v any) int {
	n, _ := v.(int64)
	return int(n)
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
