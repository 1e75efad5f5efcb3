package config

import (
	"encoding/base64"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"
	"github.com/stretchr/testify/require"
)

// testKey is a valid token key: kid "k1" and a 32-byte secret.
var testKey = "k1:" + base64.StdEncoding.EncodeToString(
	[]byte("0123456789abcdef0123456789abcdef"))

// clearEnv makes a test independent of the caller's SESSIONGUARD_*
// variables; viper ignores empty ones.
func clearEnv(t *testing.T) {
	t.Helper()
	t.Setenv(EnvPrefix+"_CONFIG", "")
	for _, k := range keys() {
		t.Setenv(EnvPrefix+"_"+strings.ToUpper(k.name), "")
	}
}

// load registers the flags, parses args and loads, as a binary would.
func load(t *testing.T, args ...string) (*Config, error) {
	t.Helper()
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	v := viper.New()
	Register(fs, v)
	require.NoError(t, fs.Parse(args))
	return Load(v)
}

// writeFile writes a config file named name into a temp dir.
func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(body), 0o600))
	return path
}

func TestDefaultsLoad(t *testing.T) {
	clearEnv(t)
	for name, loadFn := range map[string]func() (*Config, error){
		"fresh viper": func() (*Config, error) { return Load(viper.New()) },
		"registered":  func() (*Config, error) { return load(t) },
	} {
		t.Run(name, func(t *testing.T) {
			c, err := loadFn()
			require.NoError(t, err)
			require.Equal(t, Default(), *c)
			require.True(t, c.Embedded())
			require.NoError(t, c.Validate())
		})
	}
}

func TestPrecedence(t *testing.T) {
	clearEnv(t)
	t.Setenv("SESSIONGUARD_TOKEN_KEYS", testKey)
	file := writeFile(t, "c.yaml",
		"listen: \":1001\"\nredis_addrs: [\"file:6379\"]\n")
	tests := []struct {
		name       string
		env, flags bool
		listen     string
		addr       string
	}{
		{"file only", false, false, ":1001", "file:6379"},
		{"env over file", true, false, ":1002", "env:6379"},
		{"flag over env", true, true, ":1003", "flag:6379"},
		{"flag over file", false, true, ":1003", "flag:6379"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.env {
				t.Setenv("SESSIONGUARD_LISTEN", ":1002")
				t.Setenv("SESSIONGUARD_REDIS_ADDRS", "env:6379")
			}
			args := []string{"--config", file}
			if tt.flags {
				args = append(args, "--listen", ":1003",
					"--redis-addrs", "flag:6379")
			}
			c, err := load(t, args...)
			require.NoError(t, err)
			require.Equal(t, tt.listen, c.Listen)
			require.Equal(t, []string{tt.addr}, c.RedisAddrs)
		})
	}
}

func TestListsSplitOnCommas(t *testing.T) {
	clearEnv(t)
	t.Setenv("SESSIONGUARD_REDIS_CLUSTER", "true")
	want := []string{"a:6379", "b:6379"}
	tests := []struct {
		name string
		env  string
		args []string
	}{
		{"env", "a:6379, b:6379", nil},
		{"env empty items", " a:6379,,b:6379, ", nil},
		{"flag", "", []string{"--redis-addrs", "a:6379, b:6379"}},
		{"repeated flag", "", []string{
			"--redis-addrs", "a:6379", "--redis-addrs", "b:6379"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("SESSIONGUARD_REDIS_ADDRS", tt.env)
			t.Setenv("SESSIONGUARD_TOKEN_KEYS", testKey+", "+
				strings.Replace(testKey, "k1", "k0", 1))
			c, err := load(t, tt.args...)
			require.NoError(t, err)
			require.Equal(t, want, c.RedisAddrs)
			require.Len(t, c.TokenKeys, 2)
		})
	}
}

// custom differs from Default in every key, to prove each key is read.
func custom() Config {
	return Config{
		Listen:                           "127.0.0.1:9000",
		RedisAddrs:                       []string{"r1:7000", "r2:7000"},
		RedisUsername:                    "user",
		RedisPassword:                    "pw",
		RedisDB:                          0, // cluster demands 0
		RedisTLS:                         true,
		RedisTLSCAFile:                   "/ca.pem",
		RedisCluster:                     true,
		KeyPrefix:                        "app_1",
		EnableAuthentication:             false,
		AuthenticationTokenExpirySeconds: 60,
		MaxSessionsPerUser:               3,
		OverLimitPolicy:                  PolicyEvictLRU,
		SessionTimeoutSeconds:            61,
		SessionMaxLifetimeSeconds:        62,
		EnableSessionIsolation:           false,
		AutoCleanupExpiredSessions:       false,
		CleanupIntervalSeconds:           63,
		JanitorBatchSize:                 7,
		MaxEventsPerSession:              8,
		MaxSessionSizeBytes:              4096,
		MaxEventSizeBytes:                1024,
		MaxUserStateSizeBytes:            2048,
		TokenKeys:                        []string{testKey},
		AdminToken:                       strings.Repeat("a", 32),
		LogLevel:                         "debug",
		LogFormat:                        "text",
		ShutdownTimeoutSeconds:           5,
	}
}

// customText is custom() as env/flag text; redis_master_name and
// redis_db are left out because cluster mode forbids other values.
var customText = map[string]string{
	"listen":                              "127.0.0.1:9000",
	"redis_addrs":                         "r1:7000,r2:7000",
	"redis_username":                      "user",
	"redis_password":                      "pw",
	"redis_tls":                           "true",
	"redis_tls_ca_file":                   "/ca.pem",
	"redis_cluster":                       "true",
	"key_prefix":                          "app_1",
	"enable_authentication":               "false",
	"authentication_token_expiry_seconds": "60",
	"max_sessions_per_user":               "3",
	"over_limit_policy":                   "evict_lru",
	"session_timeout_seconds":             "61",
	"session_max_lifetime_seconds":        "62",
	"enable_session_isolation":            "false",
	"auto_cleanup_expired_sessions":       "false",
	"cleanup_interval_seconds":            "63",
	"janitor_batch_size":                  "7",
	"max_events_per_session":              "8",
	"max_session_size_bytes":              "4096",
	"max_event_size_bytes":                "1024",
	"max_user_state_size_bytes":           "2048",
	"token_keys":                          testKey,
	"admin_token":                         strings.Repeat("a", 32),
	"log_level":                           "debug",
	"log_format":                          "text",
	"shutdown_timeout_seconds":            "5",
}

func TestEveryKeyFromEnv(t *testing.T) {
	clearEnv(t)
	for k, val := range customText {
		t.Setenv("SESSIONGUARD_"+strings.ToUpper(k), val)
	}
	c, err := Load(viper.New()) // no flags: env must still reach all keys
	require.NoError(t, err)
	require.Equal(t, custom(), *c)
}

func TestEveryKeyFromFlags(t *testing.T) {
	clearEnv(t)
	var args []string
	for k, val := range customText {
		args = append(args, "--"+flagName(k)+"="+val)
	}
	c, err := load(t, args...)
	require.NoError(t, err)
	require.Equal(t, custom(), *c)
}

func TestFileFormats(t *testing.T) {
	clearEnv(t)
	tests := []struct{ name, body string }{
		{"c.yaml", "listen: \":7\"\nlog_level: warn\n"},
		{"c.yml", "listen: \":7\"\nlog_level: warn\n"},
		{"c.json", `{"listen": ":7", "log_level": "warn"}`},
		{"c.toml", "listen = \":7\"\nlog_level = \"warn\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := load(t, "--config", writeFile(t, tt.name, tt.body))
			require.NoError(t, err)
			require.Equal(t, ":7", c.Listen)
			require.Equal(t, "warn", c.LogLevel)
		})
	}
}

func TestConfigFromEnv(t *testing.T) {
	clearEnv(t)
	t.Setenv("SESSIONGUARD_CONFIG", writeFile(t, "c.yaml", "listen: :5\n"))
	c, err := Load(viper.New())
	require.NoError(t, err)
	require.Equal(t, ":5", c.Listen)
}

func TestFileErrors(t *testing.T) {
	clearEnv(t)
	tests := []struct {
		name, file, body string
		want             []string
	}{
		{"unknown key", "c.yaml", "listen: :1\nredis_adrs: [x:1]\n",
			[]string{"config: redis_adrs: unknown key"}},
		{"two unknown keys", "c.yaml", "lissen: :1\nfoo: 1\n",
			[]string{"config: foo: unknown", "config: lissen: unknown"}},
		{"nested unknown key", "c.yaml", "redis:\n  addrs: [x:1]\n",
			[]string{"config: redis.addrs: unknown key"}},
		{"unsupported extension", "c.ini", "listen=:1\n",
			[]string{"unsupported extension"}},
		{"bad yaml", "c.yaml", "listen: [\n", []string{"config: "}},
		{"bad value type", "c.yaml", "redis_db: many\n",
			[]string{"config: ", "redis_db"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(t, "--config", writeFile(t, tt.file, tt.body))
			require.Error(t, err)
			for _, w := range tt.want {
				require.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestUnknownKeyIsFieldError(t *testing.T) {
	clearEnv(t)
	_, err := load(t, "--config", writeFile(t, "c.yaml", "typo_key: 1\n"))
	var fe *FieldError
	require.ErrorAs(t, err, &fe)
	require.Equal(t, "typo_key", fe.Field)
}

func TestMissingFile(t *testing.T) {
	clearEnv(t)
	missing := filepath.Join(t.TempDir(), "absent.yaml")
	_, err := load(t, "--config", missing)
	require.ErrorIs(t, err, fs.ErrNotExist)
	require.True(t, strings.HasPrefix(err.Error(), "config: "))
	require.Contains(t, err.Error(), missing)

	t.Setenv("SESSIONGUARD_CONFIG", missing)
	_, err = Load(viper.New())
	require.ErrorIs(t, err, fs.ErrNotExist)
}

func TestBadEnvValue(t *testing.T) {
	clearEnv(t)
	t.Setenv("SESSIONGUARD_MAX_SESSIONS_PER_USER", "lots")
	_, err := Load(viper.New())
	require.ErrorContains(t, err, "max_sessions_per_user")
}

func TestInvalidIsRejectedByLoad(t *testing.T) {
	clearEnv(t)
	_, err := load(t, "--over-limit-policy", "drop")
	var fe *FieldError
	require.ErrorAs(t, err, &fe)
	require.Equal(t, "over_limit_policy", fe.Field)
}

func TestRegister(t *testing.T) {
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	Register(fs, viper.New())
	require.NotNil(t, fs.Lookup("config"))
	require.Len(t, usage, len(keys()), "one help text per key")
	for i, k := range keys() {
		require.Equal(t, k.name, usage[i].key, "usage in Config order")
		f := fs.Lookup(strings.ReplaceAll(k.name, "_", "-"))
		require.NotNil(t, f, k.name)
		require.NotEmpty(t, f.Usage, k.name)
		switch f.DefValue {
		case "", "0", "false", "[]":
			// pflag hides zero defaults, so the help must state it.
			require.Contains(t, f.Usage, "default", k.name)
		}
	}
	require.NotNil(t, fs.Lookup("redis-addrs"))
	require.NotNil(t, fs.Lookup("max-sessions-per-user"))
	require.Equal(t, "10", fs.Lookup("max-sessions-per-user").DefValue)
}

func TestDurations(t *testing.T) {
	c := Default()
	require.Equal(t, "2h0m0s", c.IdleTimeout().String())
	require.Equal(t, "24h0m0s", c.MaxLifetime().String())
	require.Equal(t, "1h0m0s", c.TokenTTL().String())
	require.Equal(t, "5m0s", c.CleanupInterval().String())
	require.Equal(t, "15s", c.ShutdownTimeout().String())
}

func TestLoadTwice(t *testing.T) {
	clearEnv(t)
	v := viper.New()
	_, err := Load(v)
	require.NoError(t, err)
	_, err = Load(v)
	require.NoError(t, err, "Load is repeatable on one viper")
}

// TestSentinelKeysFromEnv covers the keys that customText cannot.
func TestSentinelKeysFromEnv(t *testing.T) {
	clearEnv(t)
	t.Setenv("SESSIONGUARD_REDIS_ADDRS", "s1:26379,s2:26379")
	t.Setenv("SESSIONGUARD_REDIS_MASTER_NAME", "mymaster")
	t.Setenv("SESSIONGUARD_REDIS_DB", "2")
	t.Setenv("SESSIONGUARD_TOKEN_KEYS", testKey)
	c, err := Load(viper.New())
	require.NoError(t, err)
	require.Equal(t, "mymaster", c.RedisMasterName)
	require.Equal(t, 2, c.RedisDB)
}
