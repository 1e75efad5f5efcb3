package main

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/testredis"
)

// serverInfo is an INFO server reply as Redis formats it.
func serverInfo(version string) map[string]string {
	return parseInfo("# Server\r\nredis_version:" + version +
		"\r\nredis_mode:standalone\r\n")
}

func TestParseInfo(t *testing.T) {
	got := parseInfo("# Cluster\r\ncluster_state:ok\r\n\r\nx:a:b\r\n")
	require.Equal(t, map[string]string{"cluster_state": "ok", "x": "a:b"},
		got)
}

func TestVersionCheck(t *testing.T) {
	tests := []struct {
		name   string
		f      facts
		status string
		detail string
	}{
		{"redis 7", facts{info: serverInfo("7.0.15")}, statusOK,
			"Redis 7.0.15"},
		{"redis 8", facts{info: serverInfo("8.2.1")}, statusOK, "Redis 8"},
		{"redis 6", facts{info: serverInfo("6.2.14")}, statusFail,
			"needs Redis 7"},
		{"no version", facts{info: map[string]string{}}, statusWarn,
			"could not be checked"},
		{"info refused", facts{infoErr: errors.New("NOPERM")}, statusWarn,
			"could not be checked: INFO server failed: NOPERM"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := versionCheck(tt.f)
			require.Equal(t, tt.status, c.Status)
			require.Contains(t, c.Detail, tt.detail)
			require.False(t, c.DataLoss)
			require.Equal(t, tt.status != statusOK, c.Advice != "")
		})
	}
}

func TestConfigChecks(t *testing.T) {
	cfg := func(policy, aof, save string) facts {
		return facts{config: map[string]string{"maxmemory-policy": policy,
			"appendonly": aof, "save": save}}
	}
	disabled := facts{configErr: errors.New("ERR unknown command 'CONFIG'")}
	tests := []struct {
		name     string
		check    func(facts) check
		f        facts
		status   string
		dataLoss bool
		text     string // in the detail or the advice
	}{
		{"noeviction", evictionCheck, cfg("noeviction", "yes", ""),
			statusOK, false, "noeviction"},
		{"allkeys-lru", evictionCheck, cfg("allkeys-lru", "yes", ""),
			statusWarn, true, "maxmemory-policy noeviction"},
		{"volatile-ttl", evictionCheck, cfg("volatile-ttl", "yes", ""),
			statusWarn, true, "evicts sessions"},
		{"eviction unknown", evictionCheck, disabled, statusWarn, false,
			"could not be checked"},
		{"aof", persistenceCheck, cfg("noeviction", "yes", ""), statusOK,
			false, "AOF on"},
		{"rdb only", persistenceCheck, cfg("noeviction", "no",
			"3600 1 300 100"), statusWarn, false, "appendonly yes"},
		{"persistence off", persistenceCheck, cfg("noeviction", "no", ""),
			statusWarn, true, "appendonly yes"},
		{"persistence unknown", persistenceCheck, disabled, statusWarn,
			false, "unknown command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.check(tt.f)
			require.Equal(t, tt.status, c.Status)
			require.Equal(t, tt.dataLoss, c.DataLoss)
			require.Equal(t, tt.dataLoss, c.bad())
			require.Contains(t, c.Detail+" "+c.Advice, tt.text)
		})
	}
}

func TestClusterCheck(t *testing.T) {
	info := func(state, slots string) map[string]string {
		return parseInfo("cluster_state:" + state + "\r\ncluster_slots_ok:" +
			slots + "\r\n")
	}
	require.Equal(t, statusOK, clusterCheck(info("ok", "16384"), nil).Status)
	c := clusterCheck(info("fail", "10923"), nil)
	require.Equal(t, statusFail, c.Status)
	require.Contains(t, c.Detail, "10923 of 16384")
	require.Contains(t, c.Advice, "--cluster fix")
	require.Equal(t, statusFail, clusterCheck(info("ok", "16000"), nil).Status)
	require.Equal(t, statusFail,
		clusterCheck(nil, errors.New("CLUSTERDOWN")).Status)
}

func TestScriptsCheck(t *testing.T) {
	require.Equal(t, statusOK, scriptsCheck(nil).Status)
	c := scriptsCheck(errors.New("NOPERM this user has no permissions"))
	require.Equal(t, statusFail, c.Status)
	require.True(t, c.bad())
}

func TestMerge(t *testing.T) {
	node := func(addr, version string) facts {
		return facts{addr: addr, info: serverInfo(version)}
	}
	one := merge([]facts{node("a:1", "7.2.0")}, versionCheck)
	require.Equal(t, "Redis 7.2.0", one.Detail)

	all := merge([]facts{node("a:1", "7.2.0"), node("b:1", "7.2.0")},
		versionCheck)
	require.Equal(t, "Redis 7.2.0 (all 2 masters)", all.Detail)

	mixed := merge([]facts{node("a:1", "7.2.0"), node("b:1", "6.2.0"),
		node("c:1", "6.2.0")}, versionCheck)
	require.Equal(t, statusFail, mixed.Status)
	require.True(t, strings.HasSuffix(mixed.Detail, "(on b:1, c:1)"),
		mixed.Detail)

	lossy := facts{addr: "b:1", config: map[string]string{
		"appendonly": "no", "save": ""}}
	unknown := facts{addr: "a:1", configErr: errors.New("NOPERM")}
	w := merge([]facts{unknown, lossy}, persistenceCheck)
	require.True(t, w.DataLoss, "data loss outranks an unchecked node")
}

// TestDoctorMiniredis: miniredis answers neither INFO server nor
// CONFIG, so those checks say they could not be made, which is no
// reason to fail.
func TestDoctorMiniredis(t *testing.T) {
	h := newHarness(t, testredis.Mini(t))
	out := lines(h.ok("doctor"))
	require.Len(t, out, 5)
	require.Regexp(t, `^WARN\s+redis-version\s+could not be checked: `+
		`INFO server failed`, out[0])
	require.Regexp(t, `^WARN\s+eviction\s+could not be checked: `+
		`CONFIG GET failed: .*Fix: check by hand`, out[1])
	require.Regexp(t, `^WARN\s+persistence\s+could not be checked`, out[2])
	require.Regexp(t, `^OK\s+cluster\s+not a cluster`, out[3])
	require.Regexp(t, `^OK\s+scripts\s+session scripts loaded`, out[4])

	var d doctorJSON
	h.json(&d, "doctor")
	require.True(t, d.OK)
	require.Len(t, d.Checks, 5)
	require.Equal(t, "eviction", d.Checks[1].Check)
	require.False(t, d.Checks[1].DataLoss)
}

// TestDoctorRealRedis runs doctor on the test servers, which run
// without persistence (--save ” --appendonly no).
func TestDoctorRealRedis(t *testing.T) {
	backends := []struct {
		name string
		get  func(testing.TB) testredis.Backend
	}{{"standalone", testredis.Standalone}, {"cluster", testredis.Cluster}}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			h := newHarness(t, b.get(t))
			r := h.run("doctor")
			require.Equal(t, exitError, r.code, r.out)
			require.Regexp(t, `(?m)^OK\s+redis-version\s+Redis [7-9]`, r.out)
			require.Regexp(t, `(?m)^WARN\s+persistence\s+persistence is `+
				`off .*Fix: CONFIG SET appendonly yes`, r.out)
			require.Regexp(t, `(?m)^OK\s+scripts`, r.out)
			require.Contains(t, r.err, "doctor: the store can lose")

			var d doctorJSON
			r = h.run("doctor", "-o", "json")
			require.Equal(t, exitError, r.code)
			require.NoError(t, json.Unmarshal([]byte(r.out), &d))
			require.False(t, d.OK)
			require.Equal(t, "persistence", d.Checks[2].Check)
			require.True(t, d.Checks[2].DataLoss)
			require.Equal(t, statusOK, d.Checks[3].Status, d.Checks[3].Detail)
		})
	}
}
