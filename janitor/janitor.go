// Package janitor removes from Redis what no sessionguard request will
// meet again: expired sessions still in their user's index, index
// entries and token records whose session is gone, the data keys of
// evicted sessions, and the per-user keys these leave empty. The
// session scripts prune what they meet; the janitor bounds memory by
// live data.
//
//	rep, err := janitor.Run(ctx, rdb, janitor.Options{Prefix: "sg"})
//	fmt.Println(rep.Total(), rep.Fixed[janitor.OrphanTokens])
//
// A run walks the keyspace with SCAN (every master of a cluster) and
// hands each user's findings, a batch at a time, to a Lua script that
// re-checks them against Redis time and deletes atomically in the
// user's slot. So a session a request refreshes during the run stays,
// and any number of janitors may run at once: they split the work and
// never fail on each other. Nothing depends on keyspace notifications.
// App state and user state are permanent and never touched.
//
// A dry run (Options.DryRun) reports what a run would fix and changes
// nothing. Loop runs the janitor periodically, as sessiond does.
package janitor

import (
	"context"
	"errors"
	"hash/maphash"
	"time"

	"github.com/redis/go-redis/v9"
)

// Kinds of fix, the keys of Report.Fixed.
const (
	// ExpiredSessions counts sessions whose idle expiry had passed,
	// removed with their index entries and data keys.
	ExpiredSessions = "expired_sessions"
	// OrphanIndexEntries counts session ids removed from the idx, exp
	// and used zsets because the session had no metadata; one per id.
	OrphanIndexEntries = "orphan_index_entries"
	// OrphanTokens counts token records removed because their session
	// was gone, had expired or was another incarnation of the same id.
	OrphanTokens = "orphan_tokens"
	// ExpiredTokens counts token records removed after their own expiry.
	ExpiredTokens = "expired_tokens"
	// OrphanSessionKeys counts session data keys (state, events, times,
	// event ids) removed because their session had no metadata.
	OrphanSessionKeys = "orphan_session_keys"
	// EmptyUserKeys counts per-user keys (sessions, idx, exp, used,
	// tokens) that the run left empty, which Redis then drops.
	EmptyUserKeys = "empty_user_keys"
)

// Kinds lists every kind of fix in a stable order.
var Kinds = []string{ExpiredSessions, OrphanIndexEntries, OrphanTokens,
	ExpiredTokens, OrphanSessionKeys, EmptyUserKeys}

// Options configure a run. Zero fields take the defaults stated here.
type Options struct {
	// Prefix starts every key, as in store.Options; default "sg".
	Prefix string
	// BatchSize is the SCAN family's COUNT and the most sessions, tokens
	// and keys one script call judges; default 100. Redis returns small
	// hashes and zsets (those below its listpack limits) whole from
	// HSCAN and ZSCAN whatever the COUNT; they are still judged in
	// calls of at most BatchSize.
	BatchSize int
	// DryRun counts what a run would fix and changes nothing.
	DryRun bool
	// Progress, when set, is called after each SCAN batch.
	Progress func(Progress)
}

func (o Options) withDefaults() Options {
	if o.Prefix == "" {
		o.Prefix = "sg"
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 100
	}
	return o
}

// Progress is how far a run has come.
type Progress struct {
	KeysScanned int // keys the SCAN returned so far
	UsersDone   int // distinct users whose keys were handled so far
}

// Report is what a run examined and what it fixed (or, dry, would fix).
type Report struct {
	KeysScanned      int // keys the SCAN returned
	UsersExamined    int // distinct users whose keys the SCAN met
	SessionsExamined int // live sessions seen, left alone
	// Fixed counts by kind (see Kinds); every kind is present.
	Fixed    map[string]int
	DryRun   bool
	Duration time.Duration
}

// Total returns the number of fixes of every kind.
func (r Report) Total() int {
	n := 0
	for _, v := range r.Fixed {
		n += v
	}
	return n
}

// Run makes one pass over the keys under opts.Prefix and returns what
// it found. When Redis refuses a command on one user's keys (a damaged
// key of the wrong type, say), the run skips that user, goes on, and
// returns the full report with the error. Any other error (connection,
// ctx) stops the run: it returns the report so far with the error; what
// was fixed stays fixed, and the next run carries on. Run holds a few
// bytes per user seen, and the ids of one user at a time.
func Run(ctx context.Context, rdb redis.UniversalClient, opts Options,
) (Report, error) {
	opts = opts.withDefaults()
	rep := Report{Fixed: make(map[string]int, len(Kinds)),
		DryRun: opts.DryRun}
	for _, k := range Kinds {
		rep.Fixed[k] = 0
	}
	if rdb == nil {
		return rep, errors.New("janitor: nil redis client")
	}
	start := time.Now()
	r := &run{rdb: rdb, opts: opts, rep: &rep, seed: maphash.MakeSeed(),
		users: map[uint64]uint8{}}
	err := r.scan(ctx)
	rep.Duration = time.Since(start)
	return rep, err
}

// Loop runs Run at once and then every interval until ctx ends, and
// calls report, when set, after each run with its report and error. A
// run cut short because ctx ended is not reported. A run that outlasts
// interval is followed by the next at once. Loop panics when interval
// is not positive.
func Loop(ctx context.Context, rdb redis.UniversalClient,
	interval time.Duration, opts Options, report func(Report, error),
) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		rep, err := Run(ctx, rdb, opts)
		if ctx.Err() != nil {
			return
		}
		if report != nil {
			report(rep, err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
