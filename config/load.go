package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"
)

// EnvPrefix starts every environment variable: key listen is read from
// SESSIONGUARD_LISTEN, and the config file path from SESSIONGUARD_CONFIG.
const EnvPrefix = "SESSIONGUARD"

// FileKey is the viper key and flag name (--config) that holds
// the config file path. Default "" (no file).
const FileKey = "config"

// usage is the flag help of each key, in Config order. Where the
// default is a zero value pflag prints no default, so the text says it.
var usage = []struct{ key, help string }{
	{"listen", "HTTP listen address, host:port"},
	{"redis_addrs", "Redis host:port list, comma-separated (sentinels with " +
		"--redis-master-name); default none: embedded in-memory " +
		"Redis, nothing persists"},
	{"redis_username", "Redis ACL username (default none)"},
	{"redis_password", "Redis password (default none; prefer " +
		"SESSIONGUARD_REDIS_PASSWORD over the command line)"},
	{"redis_db", "Redis database number; must be 0 in cluster mode " +
		"(default 0)"},
	{"redis_tls", "use TLS to Redis (default false)"},
	{"redis_tls_ca_file", "PEM file of CAs for Redis TLS (default none: " +
		"system roots)"},
	{"redis_master_name", "Sentinel master name; set selects Sentinel " +
		"(default none)"},
	{"redis_cluster", "use Redis Cluster (default false)"},
	{"key_prefix", "prefix of every Redis key, [a-z0-9_-]{1,32}"},
	{"enable_authentication", "require bearer tokens on API calls"},
	{"authentication_token_expiry_seconds", "token lifetime in seconds"},
	{"max_sessions_per_user", "live sessions allowed per user"},
	{"over_limit_policy", "at the session limit: reject or evict_lru"},
	{"session_timeout_seconds", "idle timeout of a session in seconds"},
	{"session_max_lifetime_seconds", "absolute session lifetime in " +
		"seconds; activity never extends past it"},
	{"enable_session_isolation", "a token opens only its own session; " +
		"off: any session of its user (never another user's)"},
	{"auto_cleanup_expired_sessions", "run the expired-session janitor"},
	{"cleanup_interval_seconds", "seconds between janitor runs"},
	{"janitor_batch_size", "sessions examined per janitor step"},
	{"max_events_per_session", "events stored per session"},
	{"max_session_size_bytes", "stored bytes per session"},
	{"max_event_size_bytes", "bytes per event, at most " +
		"--max-session-size-bytes"},
	{"max_user_state_size_bytes", "bytes of user: state per user and app " +
		"(it outlives sessions)"},
	{"token_keys", "token signing keys kid:base64secret, comma-separated, " +
		"first is current (default none: embedded Redis only; " +
		"prefer SESSIONGUARD_TOKEN_KEYS)"},
	{"admin_token", "admin credential, at least 32 characters (default " +
		"none; prefer SESSIONGUARD_ADMIN_TOKEN)"},
	{"log_level", "debug, info, warn or error"},
	{"log_format", "json or text"},
	{"shutdown_timeout_seconds", "graceful shutdown limit in seconds"},
}

// key is one configuration key with its default taken from Default, so
// the defaults are written down once.
type key struct {
	name string
	def  reflect.Value
}

// keys lists every Config key in field order.
func keys() []key {
	d := reflect.ValueOf(Default())
	t := d.Type()
	out := make([]key, 0, t.NumField())
	for i := range t.NumField() {
		name := t.Field(i).Tag.Get("mapstructure")
		out = append(out, key{name: name, def: d.Field(i)})
	}
	return out
}

// flagName turns a key into its flag name: redis_addrs -> redis-addrs.
func flagName(k string) string { return strings.ReplaceAll(k, "_", "-") }

// Register adds one flag per key to fs (the key with '_' turned into
// '-', e.g. --redis-addrs) plus --config, the path of a YAML, JSON or
// TOML file, and binds them all into v for Load. Help text states each
// default. Register panics if a flag is already defined, as pflag does.
func Register(fs *pflag.FlagSet, v *viper.Viper) {
	fs.String(flagName(FileKey), "",
		"config file, .yaml/.yml/.json/.toml (default none)")
	bind(fs, v, FileKey)
	for _, k := range keys() {
		addFlag(fs, k)
		bind(fs, v, k.name)
	}
}

// addFlag defines the flag of k with k's default and type.
func addFlag(fs *pflag.FlagSet, k key) {
	name, help := flagName(k.name), helpFor(k.name)
	switch d := k.def.Interface().(type) {
	case string:
		fs.String(name, d, help)
	case []string:
		fs.StringSlice(name, d, help)
	case int:
		fs.Int(name, d, help)
	case int64:
		fs.Int64(name, d, help)
	case bool:
		fs.Bool(name, d, help)
	default:
		// Only reachable when a field of a new type is added to Config.
		panic(fmt.Sprintf("config: key %s: unsupported type %T", k.name, d))
	}
}

// helpFor returns the flag help of key k.
func helpFor(k string) string {
	for _, u := range usage {
		if u.key == k {
			return u.help
		}
	}
	return ""
}

func bind(fs *pflag.FlagSet, v *viper.Viper, k string) {
	// BindPFlag fails only for a nil flag, which addFlag rules out.
	_ = v.BindPFlag(k, fs.Lookup(flagName(k)))
}

// Load reads the configuration into a validated Config. In increasing
// precedence it takes Default, the config file (named by --config or
// SESSIONGUARD_CONFIG; a named file that is missing is an error, and so
// is any unknown key in it), environment variables SESSIONGUARD_<KEY>
// (lists comma-separated, e.g. SESSIONGUARD_REDIS_ADDRS="a:6379,b:6379")
// and flags that were set. v may be fresh or prepared by Register; Load
// sets its env prefix and key replacer.
func Load(v *viper.Viper) (*Config, error) {
	prepare(v)
	if err := readFile(v, v.GetString(FileKey)); err != nil {
		return nil, err
	}
	var c Config
	hook := viper.DecodeHook(mapstructure.StringToSliceHookFunc(","))
	if err := v.Unmarshal(&c, hook); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	// Flags and env give "a:1, b:2"; spaces and empty items are noise.
	c.RedisAddrs = cleanList(c.RedisAddrs)
	c.TokenKeys = cleanList(c.TokenKeys)
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// prepare sets the defaults and binds every key to its environment
// variable. The explicit BindEnv matters: AutomaticEnv alone is not seen
// by Unmarshal for keys that no other source mentions.
func prepare(v *viper.Viper) {
	v.SetEnvPrefix(EnvPrefix)
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_", "-", "_"))
	_ = v.BindEnv(FileKey) // BindEnv fails only without a key
	for _, k := range keys() {
		v.SetDefault(k.name, k.def.Interface())
		_ = v.BindEnv(k.name)
	}
}

// fileTypes maps the config file extensions to viper's format names.
var fileTypes = map[string]string{
	".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml",
}

// readFile loads the config file at path into v; "" means no file.
func readFile(v *viper.Viper, path string) error {
	if path == "" {
		return nil
	}
	typ, ok := fileTypes[strings.ToLower(filepath.Ext(path))]
	if !ok {
		return fmt.Errorf("config: config file %q: unsupported extension, "+
			"want .yaml, .yml, .json or .toml", path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("config: config file: %w", err)
	}
	if err := checkKeys(path, typ, data); err != nil {
		return err
	}
	v.SetConfigType(typ)
	if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
		return fmt.Errorf("config: config file %q: %w", path, err)
	}
	return nil
}

// checkKeys rejects keys of the file that Config does not have, so a
// typo is an error rather than a silently ignored setting. It parses the
// file on its own because v may also hold keys of the caller's flags.
func checkKeys(path, typ string, data []byte) error {
	fv := viper.New()
	fv.SetConfigType(typ)
	if err := fv.ReadConfig(bytes.NewReader(data)); err != nil {
		return fmt.Errorf("config: config file %q: %w", path, err)
	}
	known := make(map[string]bool)
	for _, k := range keys() {
		known[k.name] = true
	}
	var errs []error
	all := fv.AllKeys()
	slices.Sort(all)
	for _, k := range all {
		if !known[k] {
			errs = append(errs, &FieldError{Field: k,
				Problem: fmt.Sprintf("unknown key in config file %q", path)})
		}
	}
	return errors.Join(errs...)
}

// cleanList trims each item and drops empty ones.
func cleanList(in []string) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
