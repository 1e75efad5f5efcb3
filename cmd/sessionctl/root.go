package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/spf13/cobra"
	"github.com/spf13/viper"
	"golang.org/x/term"

	"github.com/sessionguard/sessionguard/config"
	"github.com/sessionguard/sessionguard/store"
)

// pingTimeout bounds the first contact with Redis.
const pingTimeout = 5 * time.Second

var errNoRedis = errors.New("no Redis configured: set " +
	"SESSIONGUARD_REDIS_ADDRS or --redis-addrs (sessionctl inspects a " +
	"real store)")

// env is what sessionctl takes from its surroundings; tests replace it.
type env struct {
	stdout, stderr io.Writer
	// connect returns a client of the Redis that cfg names.
	connect func(cfg *config.Config) (redis.UniversalClient, error)
	// isTerminal reports whether w is an interactive terminal.
	isTerminal func(w io.Writer) bool
}

func defaultEnv(stdout, stderr io.Writer) env {
	return env{stdout: stdout, stderr: stderr, connect: dial,
		isTerminal: isTerminal}
}

func dial(cfg *config.Config) (redis.UniversalClient, error) {
	opts, err := cfg.RedisOptions()
	if err != nil {
		return nil, err
	}
	return redis.NewUniversalClient(opts), nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// cli is one invocation: its env and the flags it was given.
type cli struct {
	env
	v      *viper.Viper
	output string // "table" or "json"
}

// conn is what a command works with once Redis answers.
type conn struct {
	*cli
	cfg *config.Config
	rdb redis.UniversalClient
	st  *store.Store
}

// newRootCmd returns the sessionctl command tree writing to e.
func newRootCmd(e env) *cobra.Command {
	c := &cli{env: e, v: viper.New()}
	root := &cobra.Command{
		Use:   "sessionctl",
		Short: "Inspect and repair a sessionguard session store",
		Long: "sessionctl inspects and repairs the sessionguard store in " +
			"Redis.\nIt reads the same configuration as sessiond: flags, " +
			"SESSIONGUARD_* environment\nvariables and --config.",
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &usageError{err}
	})
	config.Register(root.PersistentFlags(), c.v)
	root.PersistentFlags().StringVarP(&c.output, "output", "o", "table",
		"output format: table or json")

	root.AddCommand(
		group("sessions", "List, show and close sessions",
			c.sessionsListCmd(), c.sessionsShowCmd(), c.sessionsCloseCmd()),
		group("users", "List users and close their sessions",
			c.usersListCmd(), c.usersRevokeCmd()),
		group("tokens", "Revoke session tokens", c.tokensRevokeCmd()),
		group("janitor", "Remove what expired sessions left behind",
			c.janitorRunCmd()),
		c.statsCmd(),
		c.doctorCmd(),
	)
	return root
}

// group returns a command that only holds subcommands. Run alone or
// with an unknown subcommand it is a usage error.
func group(use, short string, subs ...*cobra.Command) *cobra.Command {
	g := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return fmt.Errorf("%s needs a subcommand", cmd.CommandPath())
		},
	}
	g.AddCommand(subs...)
	return g
}

// action returns a cobra RunE that connects to Redis, runs f and
// disconnects. Its errors are marked as the command's own (runError).
func (c *cli) action(
	f func(ctx context.Context, k *conn, args []string) error,
) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		ctx := cmd.Context()
		k, err := c.open(ctx)
		if err == nil {
			defer k.rdb.Close()
			err = k.explain(f(ctx, k, args))
		}
		if err != nil {
			return &runError{err}
		}
		return nil
	}
}

// open loads the configuration and connects to its Redis.
func (c *cli) open(ctx context.Context) (*conn, error) {
	if c.output != "table" && c.output != "json" {
		return nil, &usageError{fmt.Errorf(
			"--output %q: want table or json", c.output)}
	}
	cfg, err := config.Load(c.v)
	if err != nil {
		return nil, &usageError{err}
	}
	if cfg.Embedded() {
		return nil, errNoRedis
	}
	rdb, err := c.connect(cfg)
	if err != nil {
		return nil, err
	}
	k := &conn{cli: c, cfg: cfg, rdb: rdb}
	pctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	if err := rdb.Ping(pctx).Err(); err != nil {
		rdb.Close()
		return nil, k.unreachable(err)
	}
	if k.st, err = store.New(rdb, cfg.StoreOptions()); err != nil {
		rdb.Close()
		return nil, err
	}
	return k, nil
}

// explain rewords a lost connection for the operator.
func (k *conn) explain(err error) error {
	if errors.Is(err, store.ErrUnavailable) {
		return k.unreachable(err)
	}
	return err
}

func (k *conn) unreachable(err error) error {
	return fmt.Errorf("cannot reach Redis at %s: %w",
		strings.Join(k.cfg.RedisAddrs, ","), err)
}

// now returns Redis's clock, which sets every expiry, or the local
// clock when Redis does not say.
func (k *conn) now(ctx context.Context) time.Time {
	if t, err := k.rdb.Time(ctx).Result(); err == nil {
		return t
	}
	return time.Now()
}

// notFound is the error of a session that does not exist.
func notFound(ref store.Ref) error {
	return fmt.Errorf("session not found: %s/%s/%s", printable(ref.App),
		printable(ref.User), printable(ref.ID))
}
