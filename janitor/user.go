package janitor

import (
	"context"

	"github.com/redis/go-redis/v9"

	"github.com/sessionguard/sessionguard/internal/keyspace"
)

// walker judges one user's index and tokens in batches.
type walker struct {
	*run
	b batch
	// ids and hashes already sent, so that a session met in several
	// structures, or returned twice by a SCAN, is judged and counted
	// once.
	ids, hashes map[string]bool
	removed     [5]int // per-user key elements removed, as in tally
}

// source is one per-user key to walk with HSCAN or ZSCAN.
type source struct {
	key   string
	zset  bool
	add   func(string)
	first *redis.ScanCmd // the first page, read in one pipeline
	size  *redis.IntCmd  // its length, read in dry runs
}

// walk judges every session id in the user's sessions hash and idx,
// exp and used zsets, and every record of its token hash. A token is
// judged on its own expiry and its session's metadata, so the tokens
// of a session that goes in this run go in this run too, whichever
// batch judges them.
func (r *run) walk(ctx context.Context, u keyspace.User) error {
	w := &walker{run: r, b: batch{user: u}, ids: map[string]bool{},
		hashes: map[string]bool{}}
	for pass := 0; ; pass++ {
		before := w.removed
		srcs, paged, err := w.pass(ctx)
		if err != nil {
			return err
		}
		if pass == 0 && r.opts.DryRun {
			w.countEmptied(srcs)
		}
		// Redis's SCAN cursors meet every member that stays, whatever
		// is removed meanwhile; miniredis's count positions, and removals
		// make them skip. Walking a paged user again until a pass removes
		// nothing finds what was skipped, on either.
		if r.opts.DryRun || !paged || w.removed == before {
			return nil
		}
	}
}

// pass walks the user's keys once and judges every member not judged
// before. It reports whether any key took more than one page.
func (w *walker) pass(ctx context.Context) ([]*source, bool, error) {
	u := w.b.user
	srcs := []*source{ // in userKeys order
		{key: u.Sessions(), add: w.addSession},
		{key: u.Index(), zset: true, add: w.addSession},
		{key: u.Expiry(), zset: true, add: w.addSession},
		{key: u.Used(), zset: true, add: w.addSession},
		{key: u.Tokens(), add: w.addToken},
	}
	if err := w.firstPages(ctx, srcs); err != nil {
		return nil, false, err
	}
	paged := false
	for _, s := range srcs {
		_, cursor := s.first.Val()
		paged = paged || cursor != 0
		if err := w.each(ctx, s); err != nil {
			return nil, false, err
		}
	}
	return srcs, paged, w.flush(ctx)
}

// countEmptied counts, in a dry run, the per-user keys that a real run
// would leave empty.
func (w *walker) countEmptied(srcs []*source) {
	for i, s := range srcs {
		if n := s.size.Val(); n > 0 && int64(w.removed[i]) >= n {
			w.rep.Fixed[EmptyUserKeys]++
		}
	}
}

// firstPages reads the first page of every source, and in a dry run
// its length, in one round trip: a small user needs no other read.
func (w *walker) firstPages(ctx context.Context, srcs []*source) error {
	_, err := w.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, s := range srcs {
			s.first = w.scan(ctx, p, s, 0)
			switch {
			case !w.opts.DryRun:
			case s.zset:
				s.size = p.ZCard(ctx, s.key)
			default:
				s.size = p.HLen(ctx, s.key)
			}
		}
		return nil
	})
	return err
}

func (w *walker) scan(ctx context.Context, c redis.Cmdable, s *source,
	cursor uint64,
) *redis.ScanCmd {
	count := int64(w.opts.BatchSize)
	if s.zset {
		return c.ZScan(ctx, s.key, cursor, "", count)
	}
	return c.HScan(ctx, s.key, cursor, "", count)
}

// each passes every member of s to its add, flushing full batches.
func (w *walker) each(ctx context.Context, s *source) error {
	cmd := s.first
	for {
		items, cursor, err := cmd.Result()
		if err != nil {
			return err
		}
		// Items alternate member and value (or score).
		for i := 0; i < len(items); i += 2 {
			s.add(items[i])
			if w.b.len() >= w.opts.BatchSize {
				if err := w.flush(ctx); err != nil {
					return err
				}
			}
		}
		if cursor == 0 {
			return nil
		}
		cmd = w.scan(ctx, w.rdb, s, cursor)
	}
}

func (w *walker) addSession(id string) {
	if !w.ids[id] {
		w.ids[id] = true
		w.b.sessions = append(w.b.sessions, id)
	}
}

func (w *walker) addToken(hash string) {
	if !w.hashes[hash] {
		w.hashes[hash] = true
		w.b.tokens = append(w.b.tokens, hash)
	}
}

// flush judges what the batch holds.
func (w *walker) flush(ctx context.Context) error {
	if w.b.len() == 0 {
		return nil
	}
	t, err := w.reconcile(ctx, &w.b)
	if err != nil {
		return err
	}
	for i, n := range t.removed {
		w.removed[i] += n
	}
	w.b.reset()
	return nil
}
