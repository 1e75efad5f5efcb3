package main

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/sessionguard/sessionguard/config"
	"github.com/sessionguard/sessionguard/store"
	"github.com/sessionguard/sessionguard/tokens"
)

// openRedis returns a client of the configured Redis, or of an embedded
// one it starts when none is configured, and the function that closes
// both.
func openRedis(cfg *config.Config, log *slog.Logger,
) (redis.UniversalClient, func(), error) {
	opts, err := cfg.RedisOptions()
	if err != nil {
		return nil, nil, err
	}
	if !cfg.Embedded() {
		rdb := redis.NewUniversalClient(opts)
		return rdb, func() { _ = rdb.Close() }, nil
	}
	m, stop, err := startEmbedded()
	if err != nil {
		return nil, nil, err
	}
	log.Warn("no redis_addrs: using an embedded in-memory Redis; "+
		"NOTHING PERSISTS, every session and token is lost when "+
		"sessiond stops", "redis_addr", m.Addr())
	opts.Addrs = []string{m.Addr()}
	rdb := redis.NewUniversalClient(opts)
	return rdb, func() { _ = rdb.Close(); stop() }, nil
}

// startEmbedded starts a miniredis on a free loopback port.
func startEmbedded() (*miniredis.Miniredis, func(), error) {
	m := miniredis.NewMiniRedis()
	if err := m.Start(); err != nil {
		return nil, nil, fmt.Errorf("sessiond: embedded redis: %w", err)
	}
	done := make(chan struct{})
	go tick(m, done)
	return m, func() { close(done); m.Close() }, nil
}

// tick moves the embedded Redis's TTLs along with the wall clock:
// miniredis, made for tests, expires keys only when told time passed.
func tick(m *miniredis.Miniredis, done <-chan struct{}) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	last := time.Now()
	for {
		select {
		case <-done:
			return
		case now := <-t.C:
			m.FastForward(now.Sub(last))
			last = now
		}
	}
}

// openStore returns the store on rdb with the settings of cfg.
func openStore(rdb redis.UniversalClient, cfg *config.Config,
	log *slog.Logger,
) (*store.Store, error) {
	warnOpen(cfg, log)
	keys, err := keyring(cfg, log)
	if err != nil {
		return nil, err
	}
	opts := cfg.StoreOptions()
	opts.Keys = keys
	return store.New(rdb, opts)
}

// keyring builds the token keyring from token_keys. Without keys, which
// config allows only with the embedded Redis, it makes a random one.
func keyring(cfg *config.Config, log *slog.Logger) (*tokens.Keyring, error) {
	if len(cfg.TokenKeys) == 0 {
		log.Warn("no token_keys: tokens use an ephemeral key and stop " +
			"working when sessiond stops")
		return tokens.RandomKeyring(), nil
	}
	keys, err := tokens.ParseKeys(cfg.TokenKeys)
	if err != nil {
		return nil, fmt.Errorf("sessiond: token_keys: %w", err)
	}
	return tokens.NewKeyring(keys...)
}

// warnOpen says loudly which doors the settings leave open.
func warnOpen(cfg *config.Config, log *slog.Logger) {
	switch {
	case !cfg.EnableAuthentication:
		log.Warn("enable_authentication is false: every session is " +
			"open to every caller")
	case cfg.AdminToken == "":
		log.Warn("no admin_token: any caller that reaches sessiond " +
			"can create sessions")
	}
}
