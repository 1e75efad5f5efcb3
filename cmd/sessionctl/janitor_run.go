package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sessionguard/sessionguard/janitor"
)

type janitorJSON struct {
	DryRun           bool           `json:"dry_run"`
	KeysScanned      int            `json:"keys_scanned"`
	UsersExamined    int            `json:"users_examined"`
	SessionsExamined int            `json:"sessions_examined"`
	Fixed            map[string]int `json:"fixed"`
	Total            int            `json:"total"`
	DurationSeconds  float64        `json:"duration_seconds"`
}

func (c *cli) janitorRunCmd() *cobra.Command {
	var opts janitor.Options
	cmd := &cobra.Command{
		Use:   "run [--dry-run] [--batch-size N]",
		Short: "Run the janitor once and report what it fixed",
		Long: "Walk the keyspace once (every master of a cluster) and " +
			"remove expired\nsessions, orphaned index entries, tokens " +
			"and keys. Safe while sessiond runs\nits own janitor. " +
			"Progress goes to stderr: a bar on a terminal, lines otherwise.",
		Args: cobra.NoArgs,
		RunE: c.action(func(ctx context.Context, k *conn, _ []string) error {
			opts.Prefix = k.cfg.KeyPrefix
			if opts.BatchSize == 0 {
				opts.BatchSize = k.cfg.JanitorBatchSize
			}
			m := &meter{w: k.stderr, tty: k.isTerminal(k.stderr),
				total: int(k.rdb.DBSize(ctx).Val())}
			opts.Progress = m.update
			rep, err := janitor.Run(ctx, k.rdb, opts)
			m.finish(rep)
			if perr := k.printJanitor(rep); err == nil {
				err = perr
			}
			return err
		}),
	}
	f := cmd.Flags()
	f.BoolVar(&opts.DryRun, "dry-run", false,
		"count what would be fixed and change nothing")
	f.IntVar(&opts.BatchSize, "batch-size", 0,
		"keys per SCAN step and script call (default: janitor_batch_size)")
	return cmd
}

func (k *conn) printJanitor(r janitor.Report) error {
	out := janitorJSON{DryRun: r.DryRun, KeysScanned: r.KeysScanned,
		UsersExamined: r.UsersExamined, Fixed: r.Fixed, Total: r.Total(),
		SessionsExamined: r.SessionsExamined,
		DurationSeconds:  r.Duration.Seconds()}
	return k.emit(out, func(w io.Writer) { janitorTable(w, out) })
}

func janitorTable(w io.Writer, r janitorJSON) {
	head := "FIXED"
	if r.DryRun {
		head = "WOULD FIX"
	}
	row(w, "KIND", head)
	for _, kind := range janitor.Kinds {
		row(w, kind, r.Fixed[kind])
	}
	row(w, "total", r.Total)
	fmt.Fprintf(w, "\nscanned %d keys of %d users (%s) in %s\n",
		r.KeysScanned, r.UsersExamined,
		plural(int64(r.SessionsExamined), "live session"),
		time.Duration(r.DurationSeconds*float64(time.Second)).Round(
			time.Millisecond))
	if r.DryRun {
		fmt.Fprintln(w, "dry run: nothing was changed")
	}
}

// meter shows a run's progress: a bar redrawn in place on a terminal,
// at most a line a second otherwise.
type meter struct {
	w     io.Writer
	tty   bool
	total int // keys in Redis: an upper bound of the keys scanned
	last  time.Time
}

const barWidth = 30

func (m *meter) update(p janitor.Progress) {
	every := time.Second
	if m.tty {
		every = 100 * time.Millisecond
	}
	if now := time.Now(); now.Sub(m.last) >= every {
		m.last = now
		m.draw(p, false)
	}
}

func (m *meter) finish(r janitor.Report) {
	m.draw(janitor.Progress{KeysScanned: r.KeysScanned,
		UsersDone: r.UsersExamined}, true)
	if m.tty {
		fmt.Fprintln(m.w)
	}
}

func (m *meter) draw(p janitor.Progress, done bool) {
	counts := plural(int64(p.KeysScanned), "key") + " scanned, " +
		plural(int64(p.UsersDone), "user") + " done"
	if !m.tty {
		fmt.Fprintln(m.w, "janitor: "+counts)
		return
	}
	if m.total > 0 || done {
		counts = bar(p.KeysScanned, m.total, done) + " " + counts
	}
	fmt.Fprint(m.w, "\r"+counts)
}

// bar draws [#####.....] NN%, short of full until done: the total is
// only an upper bound.
func bar(n, total int, done bool) string {
	pct := 100
	if !done {
		pct = min(99, n*100/max(total, 1))
	}
	fill := pct * barWidth / 100
	return fmt.Sprintf("[%s%s] %3d%%", strings.Repeat("#", fill),
		strings.Repeat(".", barWidth-fill), pct)
}
