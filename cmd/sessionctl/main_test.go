package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/testredis"
)

func TestBadUsage(t *testing.T) {
	h := newHarness(t, testredis.Mini(t))
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"unknown command", []string{"sesions"}, `unknown command "sesions"`},
		{"unknown subcommand", []string{"sessions", "lst"},
			`unknown command "lst" for "sessionctl sessions"`},
		{"missing subcommand", []string{"users"}, "needs a subcommand"},
		{"unknown flag", []string{"stats", "--verbose"},
			"unknown flag: --verbose"},
		{"bad flag value", []string{"sessions", "show", "a", "u", "s",
			"--events", "many"}, "invalid argument"},
		{"too few args", []string{"sessions", "close", "a", "u"},
			"accepts 3 arg(s), received 2"},
		{"too many args", []string{"stats", "extra"}, `unknown command`},
		{"missing flag", []string{"users", "list"}, `"app" not set`},
		{"bad output", []string{"stats", "-o", "yaml"},
			`--output "yaml": want table or json`},
		{"invalid config", []string{"stats", "--over-limit-policy", "drop"},
			"config: over_limit_policy"},
		{"invalid id", []string{"sessions", "close", "a", "u", "\xff"},
			"session id is not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.run(tt.args...)
			require.Equal(t, exitUsage, r.code, r.err)
			require.Contains(t, r.err, tt.msg)
			require.Contains(t, r.err, "--help' for usage.")
			require.Empty(t, r.out)
		})
	}
}

func TestNoRedisConfigured(t *testing.T) {
	t.Setenv("SESSIONGUARD_REDIS_ADDRS", "")
	var out, errb bytes.Buffer
	code := run([]string{"stats"}, &out, &errb)
	require.Equal(t, exitError, code)
	require.Equal(t, "sessionctl: no Redis configured: set "+
		"SESSIONGUARD_REDIS_ADDRS or --redis-addrs (sessionctl inspects "+
		"a real store)\n", errb.String())
}

func TestUnreachableRedis(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"doctor", "--redis-addrs", "127.0.0.1:1",
		"--token-keys", tokenKey}, &out, &errb)
	require.Equal(t, exitError, code)
	require.Contains(t, errb.String(),
		"sessionctl: cannot reach Redis at 127.0.0.1:1: ")
}

// TestRunDialsConfiguredRedis goes the way of the binary: the address
// comes from the environment and run dials it.
func TestRunDialsConfiguredRedis(t *testing.T) {
	b := testredis.Mini(t)
	t.Setenv("SESSIONGUARD_REDIS_ADDRS", b.Mini.Addr())
	t.Setenv("SESSIONGUARD_TOKEN_KEYS", tokenKey)
	t.Setenv("SESSIONGUARD_KEY_PREFIX", b.Prefix)
	var out, errb bytes.Buffer
	code := run([]string{"stats"}, &out, &errb)
	require.Equal(t, exitOK, code, errb.String())
	require.Equal(t, "APP  USERS  SESSIONS  EVENTS  BYTES\n", out.String())
}

func TestHelpAndCompletion(t *testing.T) {
	var out, errb bytes.Buffer
	require.Equal(t, exitOK, run([]string{"--help"}, &out, &errb))
	for _, cmd := range []string{"sessions", "users", "tokens", "janitor",
		"stats", "doctor", "completion"} {
		require.Contains(t, out.String(), cmd)
	}
	out.Reset()
	require.Equal(t, exitOK, run([]string{"completion", "bash"}, &out,
		&errb))
	require.Contains(t, out.String(), "bash completion")
}
