// Command sessiond serves sessionguard's session store over HTTP, in
// the shapes of ADK's REST API, for agent pods in any language.
//
//	sessiond --redis-addrs redis:6379 --token-keys "k1:$SECRET"
//
// Every setting is a flag, an environment variable SESSIONGUARD_<KEY>
// or a key of the file named by --config; see package config. With no
// Redis address sessiond runs an embedded in-memory Redis, for demos:
// nothing it holds survives a restart.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/redis/go-redis/v9"
	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/sessionguard/sessionguard/config"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(),
		os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := newRootCommand().ExecuteContext(ctx); err != nil {
		os.Exit(1)
	}
}

// newRootCommand returns the sessiond command: flags from config, then
// run until the context ends.
func newRootCommand() *cobra.Command {
	v := viper.New()
	cmd := &cobra.Command{
		Use:          "sessiond",
		Short:        "Serve the sessionguard session store over HTTP",
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.Load(v)
			if err != nil {
				return err
			}
			log, err := newLogger(cmd.ErrOrStderr(),
				cfg.LogFormat, cfg.LogLevel)
			if err != nil {
				return err
			}
			redis.SetLogger(redisLog{log})
			return run(cmd.Context(), cfg, log)
		},
	}
	config.Register(cmd.Flags(), v)
	return cmd
}

// newLogger returns a slog logger writing format ("json" or "text") to
// w at level.
func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("log level %q: %w", level, err)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("log format %q: want json or text", format)
}

// redisLog sends go-redis's own messages (reconnects, pool trouble)
// through the daemon's logger, so every line has the configured format.
type redisLog struct{ log *slog.Logger }

func (l redisLog) Printf(ctx context.Context, format string, v ...any) {
	l.log.WarnContext(ctx, "redis client", "detail", fmt.Sprintf(format, v...))
}
