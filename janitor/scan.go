package janitor

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"

	"github.com/redis/go-redis/v9"

	"github.com/sessionguard/sessionguard/internal/keyspace"
	"github.com/sessionguard/sessionguard/internal/nodes"
)

// run is the state of one Run.
type run struct {
	rdb  redis.UniversalClient
	opts Options
	rep  *Report
	// users remembers each user met, by a hash of its key base: a run
	// over millions of users keeps a few bytes for each, not its name.
	// A collision only defers a user to the next run.
	seed  maphash.Seed
	users map[uint64]uint8
	// errs are the first errors of users the run skipped.
	errs     []error
	failures int
}

// Bits of run.users.
const (
	userSeen   = 1 // counted in UsersExamined
	userWalked = 2 // index and tokens judged
)

// scan walks every node that holds keys, one after the other.
func (r *run) scan(ctx context.Context) error {
	ns, err := nodes.Masters(ctx, r.rdb)
	if err != nil {
		return fmt.Errorf("janitor: cluster masters: %w", err)
	}
	for _, n := range ns {
		if err := r.scanNode(ctx, n.Client); err != nil {
			return err
		}
	}
	return r.err()
}

// scanNode walks one node's keys, a SCAN batch at a time.
func (r *run) scanNode(ctx context.Context, node redis.Cmdable) error {
	match := keyspace.UserKeysPattern(r.opts.Prefix)
	var cursor uint64
	for {
		keys, next, err := node.Scan(ctx, cursor, match,
			int64(r.opts.BatchSize)).Result()
		if err != nil {
			return fmt.Errorf("janitor: scan: %w", err)
		}
		r.rep.KeysScanned += len(keys)
		if err := r.handle(ctx, keys); err != nil {
			return err
		}
		if r.opts.Progress != nil {
			r.opts.Progress(Progress{KeysScanned: r.rep.KeysScanned,
				UsersDone: r.rep.UsersExamined})
		}
		if next == 0 {
			return nil
		}
		cursor = next
	}
}

// found is what one SCAN batch held of one user's keys.
type found struct {
	user    keyspace.User
	indexed bool // one of the per-user index or token keys
	loose   []looseKey
}

// handle groups a SCAN batch by user and deals with each user.
func (r *run) handle(ctx context.Context, keys []string) error {
	var order []*found
	byBase := map[string]*found{}
	for _, key := range keys {
		k, ok := keyspace.ParseKey(r.opts.Prefix, key)
		if !ok {
			continue // not a key of this layout: not ours to judge
		}
		f := byBase[k.User.Base()]
		if f == nil {
			f = &found{user: k.User}
			byBase[k.User.Base()] = f
			order = append(order, f)
		}
		switch {
		case k.IsSessionKey():
			f.loose = append(f.loose, looseKey{key, k.SessionID})
		case k.Name != "state": // user state is permanent
			f.indexed = true
		}
	}
	for _, f := range order {
		err := r.user(ctx, f)
		if err == nil {
			continue
		}
		err = fmt.Errorf("janitor: %s: %w", f.user.Base(), err)
		// Redis refused something about this user's keys (a damaged
		// key of the wrong type, say): the others still get their run.
		var reply redis.Error
		if !errors.As(err, &reply) || ctx.Err() != nil {
			return err
		}
		r.failed(err)
	}
	return nil
}

// failed records the error of one user; a run keeps the first few.
func (r *run) failed(err error) {
	const keep = 10
	if len(r.errs) < keep {
		r.errs = append(r.errs, err)
	}
	r.failures++
}

// err returns what failed during an otherwise complete run.
func (r *run) err() error {
	if more := r.failures - len(r.errs); more > 0 {
		return errors.Join(append(r.errs,
			fmt.Errorf("janitor: %d more users failed", more))...)
	}
	return errors.Join(r.errs...)
}

// user judges what a SCAN batch found of one user: the first time one
// of its index keys turns up, its whole index and token hash; and
// every session data key found, whose session may be long gone.
func (r *run) user(ctx context.Context, f *found) error {
	h := maphash.String(r.seed, f.user.Base())
	state := r.users[h]
	if state&userSeen == 0 {
		r.rep.UsersExamined++
	}
	// Marked before the walk: a user that fails is not retried until
	// the next run.
	next := state | userSeen
	if f.indexed {
		next |= userWalked
	}
	r.users[h] = next
	if f.indexed && state&userWalked == 0 {
		if err := r.walk(ctx, f.user); err != nil {
			return err
		}
	}
	for len(f.loose) > 0 {
		n := min(len(f.loose), r.opts.BatchSize)
		b := &batch{user: f.user, loose: f.loose[:n]}
		if _, err := r.reconcile(ctx, b); err != nil {
			return err
		}
		f.loose = f.loose[n:]
	}
	return nil
}

// reconcile runs one script call and adds its counts to the report.
func (r *run) reconcile(ctx context.Context, b *batch) (tally, error) {
	t, err := reconcile(ctx, r.rdb, r.opts.DryRun, b)
	if err != nil {
		return t, err
	}
	r.rep.SessionsExamined += t.live
	r.rep.Fixed[ExpiredSessions] += t.expiredSessions
	r.rep.Fixed[OrphanIndexEntries] += t.orphanEntries
	r.rep.Fixed[ExpiredTokens] += t.expiredTokens
	r.rep.Fixed[OrphanTokens] += t.orphanTokens
	r.rep.Fixed[OrphanSessionKeys] += t.orphanKeys
	r.rep.Fixed[EmptyUserKeys] += t.emptied
	return t, nil
}
