package config

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// FieldError is one problem with one key. Field is the key name as
// written in config files (e.g. "redis_addrs"); Problem says what is
// wrong and what is allowed, and never contains a secret value.
type FieldError struct {
	Field   string
	Problem string
}

// Error returns "config: <field>: <problem>".
func (e *FieldError) Error() string {
	return "config: " + e.Field + ": " + e.Problem
}

// Limits of the checks, named so the messages and code agree.
const (
	// maxSeconds keeps every *_seconds setting far below the point where
	// a time.Duration overflows; ten years is more than any use needs.
	maxSeconds    = 10 * 365 * 24 * 60 * 60
	minSecretLen  = 32 // bytes of a decoded token key secret
	minAdminToken = 32 // characters of admin_token
)

var (
	keyPrefixRE = regexp.MustCompile(`^[a-z0-9_-]{1,32}$`)
	kidRE       = regexp.MustCompile(`^[a-z0-9]{1,16}$`)
	logLevels   = []string{"debug", "info", "warn", "error"}
	logFormats  = []string{"json", "text"}
)

// problems collects FieldErrors so Validate can report all at once.
type problems []error

func (p *problems) add(field, format string, args ...any) {
	*p = append(*p, &FieldError{Field: field,
		Problem: fmt.Sprintf(format, args...)})
}

// Validate checks every field and returns all problems at once, as an
// errors.Join of *FieldError (use errors.As to get one), or nil.
func (c *Config) Validate() error {
	var p problems
	c.checkListen(&p)
	c.checkRedis(&p)
	c.checkLimits(&p)
	c.checkChoices(&p)
	c.checkTokenKeys(&p)
	c.checkAdminToken(&p)
	return errors.Join(p...)
}

func (c *Config) checkListen(p *problems) {
	// An empty host means all interfaces and port 0 a free port, which
	// tests rely on.
	_, port, err := net.SplitHostPort(c.Listen)
	if err != nil || !validPort(port, 0) {
		p.add("listen", "%q: want host:port or :port, port 0-65535",
			c.Listen)
	}
}

// validPort reports whether s is a decimal port in [lowest, 65535].
func validPort(s string, lowest int) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n >= lowest && n <= 65535
}

func (c *Config) checkRedis(p *problems) {
	c.checkAddrs(p)
	c.checkTopology(p)
	if c.RedisDB < 0 {
		p.add("redis_db", "must be 0 or more, got %d", c.RedisDB)
	}
	if c.RedisTLSCAFile != "" && !c.RedisTLS {
		p.add("redis_tls_ca_file",
			"set but redis_tls is false; enable redis_tls or drop the file")
	}
	if !keyPrefixRE.MatchString(c.KeyPrefix) {
		p.add("key_prefix", "%q: want 1-32 of a-z, 0-9, '_' and '-'",
			c.KeyPrefix)
	}
}

func (c *Config) checkAddrs(p *problems) {
	for i, a := range c.RedisAddrs {
		host, port, err := net.SplitHostPort(a)
		if err != nil || host == "" || !validPort(port, 1) {
			p.add("redis_addrs", "entry %d %q: want host:port, "+
				"port 1-65535", i+1, a)
		}
	}
}

// checkTopology checks the choice between one server, Sentinel and
// Cluster, which go-redis makes from these settings.
func (c *Config) checkTopology(p *problems) {
	switch {
	case c.RedisCluster && c.RedisMasterName != "":
		p.add("redis_cluster", "cannot be combined with "+
			"redis_master_name; choose Cluster or Sentinel")
	case c.RedisCluster && c.Embedded():
		p.add("redis_cluster", "needs redis_addrs; "+
			"the embedded Redis is not a cluster")
	case c.RedisMasterName != "" && c.Embedded():
		p.add("redis_master_name", "needs redis_addrs, the sentinels")
	case len(c.RedisAddrs) > 1 && !c.RedisCluster &&
		c.RedisMasterName == "":
		// go-redis would silently treat several addresses as a cluster.
		p.add("redis_addrs", "several addresses need redis_cluster or "+
			"redis_master_name (Sentinel); a single server takes one")
	}
	if c.RedisCluster && c.RedisDB != 0 {
		p.add("redis_db", "must be 0 with redis_cluster, got %d; "+
			"Redis Cluster has only database 0", c.RedisDB)
	}
}

func (c *Config) checkLimits(p *problems) {
	secs := []struct {
		field string
		n     int
	}{
		{"authentication_token_expiry_seconds",
			c.AuthenticationTokenExpirySeconds},
		{"session_timeout_seconds", c.SessionTimeoutSeconds},
		{"session_max_lifetime_seconds", c.SessionMaxLifetimeSeconds},
		{"cleanup_interval_seconds", c.CleanupIntervalSeconds},
		{"shutdown_timeout_seconds", c.ShutdownTimeoutSeconds},
	}
	for _, s := range secs {
		if s.n < 1 || s.n > maxSeconds {
			p.add(s.field, "must be 1-%d (10 years), got %d",
				maxSeconds, s.n)
		}
	}
	counts := []struct {
		field string
		n     int64
	}{
		{"max_sessions_per_user", int64(c.MaxSessionsPerUser)},
		{"janitor_batch_size", int64(c.JanitorBatchSize)},
		{"max_events_per_session", int64(c.MaxEventsPerSession)},
		{"max_session_size_bytes", c.MaxSessionSizeBytes},
		{"max_event_size_bytes", c.MaxEventSizeBytes},
		{"max_user_state_size_bytes", c.MaxUserStateSizeBytes},
	}
	for _, n := range counts {
		if n.n < 1 {
			p.add(n.field, "must be 1 or more, got %d", n.n)
		}
	}
	if c.MaxEventSizeBytes > c.MaxSessionSizeBytes &&
		c.MaxSessionSizeBytes > 0 {
		p.add("max_event_size_bytes", "%d exceeds "+
			"max_session_size_bytes %d; an event must fit in a session",
			c.MaxEventSizeBytes, c.MaxSessionSizeBytes)
	}
}

func (c *Config) checkChoices(p *problems) {
	switch c.OverLimitPolicy {
	case PolicyReject, PolicyEvictLRU:
	default:
		p.add("over_limit_policy", "%q: want %s or %s",
			c.OverLimitPolicy, PolicyReject, PolicyEvictLRU)
	}
	if !slices.Contains(logLevels, c.LogLevel) {
		p.add("log_level", "%q: want one of %s", c.LogLevel,
			strings.Join(logLevels, ", "))
	}
	if !slices.Contains(logFormats, c.LogFormat) {
		p.add("log_format", "%q: want one of %s", c.LogFormat,
			strings.Join(logFormats, ", "))
	}
}

// checkTokenKeys names entries by position and valid kid only: any other
// part of an entry may be secret material.
func (c *Config) checkTokenKeys(p *problems) {
	if len(c.TokenKeys) == 0 && !c.Embedded() {
		p.add("token_keys", "required with a real Redis; "+
			"without it tokens do not survive a restart")
	}
	seen := make(map[string]bool)
	for i, entry := range c.TokenKeys {
		kid, problem := checkTokenKey(entry)
		switch {
		case problem != "":
			p.add("token_keys", "entry %d: %s", i+1, problem)
		case seen[kid]:
			p.add("token_keys", "entry %d: duplicate kid %q", i+1, kid)
		}
		seen[kid] = true
	}
}

// checkTokenKey returns the kid of entry "kid:base64secret", or a
// problem that does not quote the entry.
func checkTokenKey(entry string) (kid, problem string) {
	kid, secret, ok := strings.Cut(entry, ":")
	if !ok {
		return "", "want kid:base64secret"
	}
	if !kidRE.MatchString(kid) {
		return "", "kid must be 1-16 of a-z and 0-9"
	}
	raw, err := base64.StdEncoding.DecodeString(secret)
	if err != nil {
		return "", fmt.Sprintf("kid %q: secret is not standard "+
			"padded base64", kid)
	}
	if len(raw) < minSecretLen {
		return "", fmt.Sprintf("kid %q: secret decodes to %d bytes, "+
			"want at least %d", kid, len(raw), minSecretLen)
	}
	return kid, ""
}

func (c *Config) checkAdminToken(p *problems) {
	if c.AdminToken != "" && len(c.AdminToken) < minAdminToken {
		p.add("admin_token", "must be at least %d characters when set",
			minAdminToken)
	}
}
