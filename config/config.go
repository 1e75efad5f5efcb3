// Package config loads the settings shared by sessiond and sessionctl.
//
// Both binaries are configured exactly alike: register the flags, parse
// them, then load. Values come, in increasing precedence, from Default,
// a YAML/JSON/TOML file named by --config or SESSIONGUARD_CONFIG,
// environment variables SESSIONGUARD_<KEY> and flags that were set:
//
//	fs := pflag.NewFlagSet("sessiond", pflag.ContinueOnError)
//	v := viper.New()
//	config.Register(fs, v)
//	if err := fs.Parse(os.Args[1:]); err != nil { ... }
//	cfg, err := config.Load(v) // validated
//
// Lists such as redis_addrs and token_keys are comma-separated in
// environment variables and flags. With no redis_addrs the caller runs an
// embedded in-memory Redis and nothing persists.
package config

import (
	"time"

	"github.com/sessionguard/sessionguard/limits"
	"github.com/sessionguard/sessionguard/store"
)

// Config is the whole configuration. The mapstructure tags are the key
// names used in config files; flags and environment variables derive
// from them (see Register and Load).
type Config struct {
	// Listen is the HTTP listen address, host:port. Default ":8080".
	Listen string `mapstructure:"listen"`

	// RedisAddrs lists Redis host:port addresses (Sentinel addresses when
	// RedisMasterName is set). Default empty: an embedded in-memory Redis
	// is used and nothing persists.
	RedisAddrs []string `mapstructure:"redis_addrs"`
	// RedisUsername is the Redis ACL user. Default "" (none).
	RedisUsername string `mapstructure:"redis_username"`
	// RedisPassword is the Redis password. Default "" (none).
	RedisPassword string `mapstructure:"redis_password"`
	// RedisDB is the Redis logical database. Default 0; must be 0 in
	// cluster mode, which has only database 0.
	RedisDB int `mapstructure:"redis_db"`
	// RedisTLS turns on TLS to Redis. Default false.
	RedisTLS bool `mapstructure:"redis_tls"`
	// RedisTLSCAFile is a PEM file of CAs trusted for Redis TLS. Default
	// "" (the system roots).
	RedisTLSCAFile string `mapstructure:"redis_tls_ca_file"`
	// RedisMasterName selects Sentinel mode when set; RedisAddrs are then
	// the sentinels. Default "" (no Sentinel).
	RedisMasterName string `mapstructure:"redis_master_name"`
	// RedisCluster selects Redis Cluster mode. Default false.
	RedisCluster bool `mapstructure:"redis_cluster"`
	// KeyPrefix starts every Redis key, so several deployments can share
	// one Redis. Default "sg"; allowed [a-z0-9_-]{1,32}.
	KeyPrefix string `mapstructure:"key_prefix"`

	// EnableAuthentication requires a bearer token on API calls.
	// Default true.
	EnableAuthentication bool `mapstructure:"enable_authentication"`
	// AuthenticationTokenExpirySeconds is how long an issued token is
	// valid. Default 3600.
	AuthenticationTokenExpirySeconds int `mapstructure:"authentication_token_expiry_seconds"`

	// MaxSessionsPerUser caps the live sessions of one user. Default 10.
	MaxSessionsPerUser int `mapstructure:"max_sessions_per_user"`
	// OverLimitPolicy says what happens at MaxSessionsPerUser: "reject"
	// the new session or "evict_lru" the least recently used one.
	// Default "reject".
	OverLimitPolicy string `mapstructure:"over_limit_policy"`
	// SessionTimeoutSeconds is the idle timeout. Default 7200.
	SessionTimeoutSeconds int `mapstructure:"session_timeout_seconds"`
	// SessionMaxLifetimeSeconds is the absolute lifetime; activity never
	// extends a session past it. Default 86400. It may be shorter than
	// the idle timeout, in which case it simply wins.
	SessionMaxLifetimeSeconds int `mapstructure:"session_max_lifetime_seconds"`
	// EnableSessionIsolation keeps users from touching each other's
	// sessions. Default true.
	EnableSessionIsolation bool `mapstructure:"enable_session_isolation"`
	// AutoCleanupExpiredSessions runs the janitor that removes expired
	// sessions. Default true.
	AutoCleanupExpiredSessions bool `mapstructure:"auto_cleanup_expired_sessions"`
	// CleanupIntervalSeconds is the pause between janitor runs.
	// Default 300.
	CleanupIntervalSeconds int `mapstructure:"cleanup_interval_seconds"`
	// JanitorBatchSize is how many sessions one janitor step examines.
	// Default 100.
	JanitorBatchSize int `mapstructure:"janitor_batch_size"`
	// MaxEventsPerSession caps the events stored in one session.
	// Default 10000.
	MaxEventsPerSession int `mapstructure:"max_events_per_session"`
	// MaxSessionSizeBytes caps the stored size of one session.
	// Default 16777216 (16 MiB).
	MaxSessionSizeBytes int64 `mapstructure:"max_session_size_bytes"`
	// MaxEventSizeBytes caps one event; at most MaxSessionSizeBytes.
	// Default 1048576 (1 MiB).
	MaxEventSizeBytes int64 `mapstructure:"max_event_size_bytes"`
	// MaxUserStateSizeBytes caps the user: state of one user in one app,
	// which outlives sessions. Default 1048576.
	MaxUserStateSizeBytes int64 `mapstructure:"max_user_state_size_bytes"`

	// TokenKeys are token signing keys "kid:base64secret", the first one
	// current and the rest still accepted, so keys can be rotated.
	// Default empty, allowed only with the embedded Redis (the caller
	// then generates a random key, and tokens die with the process).
	TokenKeys []string `mapstructure:"token_keys"`
	// AdminToken is the admin credential; at least 32 characters when
	// set. Default "" (no admin credential).
	AdminToken string `mapstructure:"admin_token"`
	// LogLevel is one of debug, info, warn, error. Default "info".
	LogLevel string `mapstructure:"log_level"`
	// LogFormat is json or text. Default "json".
	LogFormat string `mapstructure:"log_format"`
	// ShutdownTimeoutSeconds bounds a graceful shutdown. Default 15.
	ShutdownTimeoutSeconds int `mapstructure:"shutdown_timeout_seconds"`
}

// Default returns the built-in configuration: embedded Redis,
// authentication on, and the defaults stated on each Config field.
func Default() Config {
	return Config{
		Listen:                           ":8080",
		KeyPrefix:                        "sg",
		EnableAuthentication:             true,
		AuthenticationTokenExpirySeconds: 3600,
		MaxSessionsPerUser:               10,
		OverLimitPolicy:                  PolicyReject,
		SessionTimeoutSeconds:            7200,
		SessionMaxLifetimeSeconds:        86400,
		EnableSessionIsolation:           true,
		AutoCleanupExpiredSessions:       true,
		CleanupIntervalSeconds:           300,
		JanitorBatchSize:                 100,
		MaxEventsPerSession:              10000,
		MaxSessionSizeBytes:              16 << 20,
		MaxEventSizeBytes:                1 << 20,
		MaxUserStateSizeBytes:            1 << 20,
		LogLevel:                         "info",
		LogFormat:                        "json",
		ShutdownTimeoutSeconds:           15,
	}
}

// Over-limit policies for Config.OverLimitPolicy.
const (
	// PolicyReject refuses a new session over the limit (the default).
	PolicyReject = "reject"
	// PolicyEvictLRU ends the user's least recently used session.
	PolicyEvictLRU = "evict_lru"
)

// Embedded reports whether no Redis address is configured, so the caller
// must run an embedded in-memory Redis. Default true.
func (c *Config) Embedded() bool { return len(c.RedisAddrs) == 0 }

// IdleTimeout is SessionTimeoutSeconds as a duration. Default 2h.
func (c *Config) IdleTimeout() time.Duration {
	return seconds(c.SessionTimeoutSeconds)
}

// MaxLifetime is SessionMaxLifetimeSeconds as a duration. Default 24h.
func (c *Config) MaxLifetime() time.Duration {
	return seconds(c.SessionMaxLifetimeSeconds)
}

// TokenTTL is AuthenticationTokenExpirySeconds as a duration.
// Default 1h.
func (c *Config) TokenTTL() time.Duration {
	return seconds(c.AuthenticationTokenExpirySeconds)
}

// CleanupInterval is CleanupIntervalSeconds as a duration. Default 5m.
func (c *Config) CleanupInterval() time.Duration {
	return seconds(c.CleanupIntervalSeconds)
}

// ShutdownTimeout is ShutdownTimeoutSeconds as a duration. Default 15s.
func (c *Config) ShutdownTimeout() time.Duration {
	return seconds(c.ShutdownTimeoutSeconds)
}

func seconds(n int) time.Duration { return time.Duration(n) * time.Second }

// StoreOptions returns the store settings of c. Keys is left nil for
// the caller, which builds the keyring from TokenKeys.
func (c *Config) StoreOptions() store.Options {
	return store.Options{
		Prefix:              c.KeyPrefix,
		DisableAuth:         !c.EnableAuthentication,
		DisableIsolation:    !c.EnableSessionIsolation,
		IdleTimeout:         c.IdleTimeout(),
		MaxLifetime:         c.MaxLifetime(),
		TokenTTL:            c.TokenTTL(),
		MaxSessionsPerUser:  c.MaxSessionsPerUser,
		OverLimit:           limits.Policy(c.OverLimitPolicy),
		MaxEventsPerSession: c.MaxEventsPerSession,
		MaxSessionBytes:     c.MaxSessionSizeBytes,
		MaxEventBytes:       c.MaxEventSizeBytes,
		MaxUserStateBytes:   c.MaxUserStateSizeBytes,
	}
}
