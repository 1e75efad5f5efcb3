package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/sessionguard/sessionguard/config"
	"github.com/sessionguard/sessionguard/internal/httpapi"
	"github.com/sessionguard/sessionguard/janitor"
)

// Server timeouts. Bodies are at most a few MiB, so a minute to read or
// write one is generous; slower clients only hold a connection.
const (
	readHeaderTimeout = 10 * time.Second
	readWriteTimeout  = time.Minute
	idleTimeout       = 2 * time.Minute
	preloadTimeout    = 10 * time.Second
)

// run opens the store that cfg describes and serves it on cfg.Listen
// until ctx ends, then shuts down gracefully; the janitor runs beside
// it when auto_cleanup_expired_sessions is set. It returns nil after a
// clean shutdown.
func run(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	rdb, closeRedis, err := openRedis(cfg, log)
	if err != nil {
		return err
	}
	defer closeRedis()
	st, err := openStore(rdb, cfg, log)
	if err != nil {
		return err
	}
	pctx, cancel := context.WithTimeout(ctx, preloadTimeout)
	defer cancel()
	if err := st.Preload(pctx); err != nil {
		// Not fatal: Redis may come up later, and /readyz says so.
		log.Warn("cannot load the scripts into redis", "err", err)
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("sessiond: %w", err)
	}
	log.Info("listening", "addr", ln.Addr().String())
	if cfg.AutoCleanupExpiredSessions {
		jctx, stop := context.WithCancel(ctx)
		defer stop()
		go runJanitor(jctx, rdb, cfg, log)
	}
	h := httpapi.New(st, httpapi.Options{AdminToken: cfg.AdminToken,
		Logger: log})
	return serve(ctx, ln, newServer(h, log), cfg.ShutdownTimeout(), log)
}

func newServer(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readWriteTimeout,
		WriteTimeout:      readWriteTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// serve runs srv on ln until ctx ends, then stops taking connections
// and waits up to timeout for the requests in flight. It returns nil
// after a clean shutdown, and an error when serving fails or the
// requests outlast timeout.
func serve(ctx context.Context, ln net.Listener, srv *http.Server,
	timeout time.Duration, log *slog.Logger,
) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("sessiond: serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", timeout.String())
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("sessiond: shutdown: %w", err)
	}
	<-errc // http.ErrServerClosed, now that Shutdown is done
	log.Info("stopped")
	return nil
}

// runJanitor runs the janitor every cleanup_interval_seconds until ctx
// ends, logging what each run fixed. Every pod may run it: runs are
// safe side by side.
func runJanitor(ctx context.Context, rdb redis.UniversalClient,
	cfg *config.Config, log *slog.Logger,
) {
	opts := janitor.Options{Prefix: cfg.KeyPrefix,
		BatchSize: cfg.JanitorBatchSize}
	janitor.Loop(ctx, rdb, cfg.CleanupInterval(), opts,
		func(r janitor.Report, err error) {
			attrs := []any{"keys_scanned", r.KeysScanned,
				"users", r.UsersExamined, "live_sessions", r.SessionsExamined,
				"duration_ms", r.Duration.Milliseconds()}
			for _, kind := range janitor.Kinds {
				attrs = append(attrs, kind, r.Fixed[kind])
			}
			if err != nil {
				log.Warn("janitor run failed", append(attrs, "err", err)...)
				return
			}
			log.Info("janitor run", attrs...)
		})
}
