package config

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Secrets planted in invalid configs; no error may contain them.
var (
	shortSecret = base64.StdEncoding.EncodeToString([]byte("tooshort"))
	longSecret  = base64.StdEncoding.EncodeToString(
		[]byte("an-adequately-long-secret-of-40-bytes!!!"))
	badAdmin = "admin-secret-too-short"
	password = "redis-password-value"
)

// realRedis is a valid config that uses a real Redis.
func realRedis() Config {
	c := Default()
	c.RedisAddrs = []string{"redis:6379"}
	c.RedisPassword = password
	c.TokenKeys = []string{testKey}
	return c
}

// fieldsOf returns the Field of every *FieldError joined in err.
func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	joined, ok := err.(interface{ Unwrap() []error })
	require.True(t, ok, "Validate returns an errors.Join")
	var fields []string
	for _, e := range joined.Unwrap() {
		var fe *FieldError
		require.ErrorAs(t, e, &fe)
		fields = append(fields, fe.Field)
	}
	return fields
}

func TestValidateRejects(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Config)
		field  string
	}{
		{"listen empty", func(c *Config) { c.Listen = "" }, "listen"},
		{"listen no port", func(c *Config) { c.Listen = "host" }, "listen"},
		{"listen port range",
			func(c *Config) { c.Listen = ":70000" }, "listen"},
		{"addr no port",
			func(c *Config) { c.RedisAddrs = []string{"redis"} },
			"redis_addrs"},
		{"addr no host",
			func(c *Config) { c.RedisAddrs = []string{":6379"} },
			"redis_addrs"},
		{"addr port zero",
			func(c *Config) { c.RedisAddrs = []string{"r:0"} },
			"redis_addrs"},
		{"several addrs, no topology",
			func(c *Config) { c.RedisAddrs = []string{"a:1", "b:1"} },
			"redis_addrs"},
		{"negative db", func(c *Config) { c.RedisDB = -1 }, "redis_db"},
		{"db in cluster", func(c *Config) {
			c.RedisCluster = true
			c.RedisDB = 1
		}, "redis_db"},
		{"cluster and sentinel", func(c *Config) {
			c.RedisCluster = true
			c.RedisMasterName = "m"
		}, "redis_cluster"},
		{"cluster embedded", func(c *Config) {
			c.RedisAddrs, c.TokenKeys = nil, nil
			c.RedisCluster = true
		}, "redis_cluster"},
		{"sentinel embedded", func(c *Config) {
			c.RedisAddrs, c.TokenKeys = nil, nil
			c.RedisMasterName = "m"
		}, "redis_master_name"},
		{"ca file without tls",
			func(c *Config) { c.RedisTLSCAFile = "/ca.pem" },
			"redis_tls_ca_file"},
		{"prefix empty", func(c *Config) { c.KeyPrefix = "" }, "key_prefix"},
		{"prefix upper", func(c *Config) { c.KeyPrefix = "SG" },
			"key_prefix"},
		{"prefix colon", func(c *Config) { c.KeyPrefix = "a:b" },
			"key_prefix"},
		{"prefix long", func(c *Config) {
			c.KeyPrefix = strings.Repeat("a", 33)
		}, "key_prefix"},
		{"token ttl zero", func(c *Config) {
			c.AuthenticationTokenExpirySeconds = 0
		}, "authentication_token_expiry_seconds"},
		{"idle negative", func(c *Config) { c.SessionTimeoutSeconds = -1 },
			"session_timeout_seconds"},
		{"lifetime zero",
			func(c *Config) { c.SessionMaxLifetimeSeconds = 0 },
			"session_max_lifetime_seconds"},
		{"lifetime huge", func(c *Config) {
			c.SessionMaxLifetimeSeconds = maxSeconds + 1
		}, "session_max_lifetime_seconds"},
		{"cleanup zero", func(c *Config) { c.CleanupIntervalSeconds = 0 },
			"cleanup_interval_seconds"},
		{"shutdown zero", func(c *Config) { c.ShutdownTimeoutSeconds = 0 },
			"shutdown_timeout_seconds"},
		{"sessions per user zero",
			func(c *Config) { c.MaxSessionsPerUser = 0 },
			"max_sessions_per_user"},
		{"batch zero", func(c *Config) { c.JanitorBatchSize = 0 },
			"janitor_batch_size"},
		{"events zero", func(c *Config) { c.MaxEventsPerSession = 0 },
			"max_events_per_session"},
		{"session size zero", func(c *Config) {
			c.MaxSessionSizeBytes = 0
		}, "max_session_size_bytes"},
		{"event size zero", func(c *Config) { c.MaxEventSizeBytes = 0 },
			"max_event_size_bytes"},
		{"event bigger than session", func(c *Config) {
			c.MaxEventSizeBytes = c.MaxSessionSizeBytes + 1
		}, "max_event_size_bytes"},
		{"policy", func(c *Config) { c.OverLimitPolicy = "drop" },
			"over_limit_policy"},
		{"log level", func(c *Config) { c.LogLevel = "verbose" },
			"log_level"},
		{"log level case", func(c *Config) { c.LogLevel = "INFO" },
			"log_level"},
		{"token keys required", func(c *Config) { c.TokenKeys = nil },
			"token_keys"},
		{"token key no colon", func(c *Config) {
			c.TokenKeys = []string{longSecret}
		}, "token_keys"},
		{"token key bad kid", func(c *Config) {
			c.TokenKeys = []string{"K-1:" + longSecret}
		}, "token_keys"},
		{"token key long kid", func(c *Config) {
			c.TokenKeys = []string{strings.Repeat("k", 17) + ":" +
				longSecret}
		}, "token_keys"},
		{"token key not base64", func(c *Config) {
			c.TokenKeys = []string{"k2:" + longSecret + "*"}
		}, "token_keys"},
		{"token key short", func(c *Config) {
			c.TokenKeys = []string{"k2:" + shortSecret}
		}, "token_keys"},
		{"token key duplicate kid", func(c *Config) {
			c.TokenKeys = []string{testKey, "k1:" + longSecret}
		}, "token_keys"},
		{"admin token short", func(c *Config) { c.AdminToken = badAdmin },
			"admin_token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := realRedis()
			tt.mutate(&c)
			err := c.Validate()
			require.Error(t, err)
			for _, f := range fieldsOf(t, err) {
				require.Equal(t, tt.field, f, err.Error())
			}
			msg := err.Error()
			require.True(t, strings.HasPrefix(msg,
				"config: "+tt.field+": "), msg)
			for _, secret := range []string{shortSecret, longSecret,
				badAdmin, password, testKey[3:]} {
				require.NotContains(t, msg, secret)
			}
		})
	}
}

func TestValidateAccepts(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Config)
	}{
		{"real redis", func(*Config) {}},
		{"embedded without token keys", func(c *Config) {
			c.RedisAddrs, c.TokenKeys = nil, nil
		}},
		{"lifetime shorter than idle", func(c *Config) {
			c.SessionMaxLifetimeSeconds = 60
			c.SessionTimeoutSeconds = 7200
		}},
		{"listen any port", func(c *Config) { c.Listen = "127.0.0.1:0" }},
		{"ipv6 addr", func(c *Config) {
			c.RedisAddrs = []string{"[::1]:6379"}
		}},
		{"sentinel", func(c *Config) {
			c.RedisAddrs = []string{"s1:26379", "s2:26379"}
			c.RedisMasterName = "mymaster"
			c.RedisDB = 3
		}},
		{"cluster", func(c *Config) {
			c.RedisAddrs = []string{"n1:7000", "n2:7000"}
			c.RedisCluster = true
		}},
		{"cluster endpoint", func(c *Config) { c.RedisCluster = true }},
		{"tls with ca", func(c *Config) {
			c.RedisTLS = true
			c.RedisTLSCAFile = "/ca.pem"
		}},
		{"rotated keys", func(c *Config) {
			c.TokenKeys = []string{"k2:" + longSecret, testKey}
		}},
		{"admin token", func(c *Config) {
			c.AdminToken = strings.Repeat("x", 32)
		}},
		{"evict lru", func(c *Config) { c.OverLimitPolicy = "evict_lru" }},
		{"event equals session", func(c *Config) {
			c.MaxEventSizeBytes = c.MaxSessionSizeBytes
		}},
		{"prefix charset", func(c *Config) { c.KeyPrefix = "a-b_9" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := realRedis()
			tt.mutate(&c)
			require.NoError(t, c.Validate())
		})
	}
}

func TestValidateReportsAll(t *testing.T) {
	c := realRedis()
	c.Listen = ""
	c.LogLevel = "loud"
	c.TokenKeys = nil
	err := c.Validate()
	require.ElementsMatch(t,
		[]string{"listen", "log_level", "token_keys"}, fieldsOf(t, err))
	var fe *FieldError
	require.True(t, errors.As(err, &fe))
}

func TestFieldErrorText(t *testing.T) {
	err := &FieldError{Field: "token_keys", Problem: "required"}
	require.Equal(t, "config: token_keys: required", err.Error())
}

func TestTokenKeysRequiredMessage(t *testing.T) {
	c := realRedis()
	c.TokenKeys = nil
	require.EqualError(t, c.Validate(), "config: token_keys: required "+
		"with a real Redis; without it tokens do not survive a restart")
}
