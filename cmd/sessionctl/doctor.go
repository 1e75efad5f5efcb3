package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"
	"github.com/spf13/cobra"

	"github.com/sessionguard/sessionguard/internal/nodes"
	"github.com/sessionguard/sessionguard/limits"
)

// Statuses of a check.
const (
	statusOK   = "OK"
	statusWarn = "WARN"
	statusFail = "FAIL"
)

// check is one finding of doctor.
type check struct {
	Check  string `json:"check"`
	Status string `json:"status"`
	Detail string `json:"detail"`
	Advice string `json:"advice,omitempty"`
	// DataLoss marks a setup under which Redis drops sessions.
	DataLoss bool `json:"data_loss"`
}

// bad reports whether the finding makes doctor exit 1.
func (c check) bad() bool {
	return c.Status == statusFail || c.Status == statusWarn && c.DataLoss
}

// facts is what doctor reads from one Redis server.
type facts struct {
	addr      string
	info      map[string]string // INFO server
	infoErr   error
	config    map[string]string // CONFIG GET of the settings checked
	configErr error
}

type doctorJSON struct {
	Checks []check `json:"checks"`
	OK     bool    `json:"ok"`
}

func (c *cli) doctorCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "doctor",
		Short: "Check that Redis is set up not to lose or break sessions",
		Long: "Check the Redis setup: version 7 or later, no eviction, " +
			"persistence on, all\ncluster slots served, scripts " +
			"loadable. Each line says OK, WARN or FAIL and\nhow to fix " +
			"it. Exits 1 on any FAIL or on a WARN that loses data; a " +
			"setting\nthat could not be read (CONFIG disabled) is a " +
			"WARN that does not.",
		Args: cobra.NoArgs,
		RunE: c.action(func(ctx context.Context, k *conn, _ []string) error {
			checks := k.diagnose(ctx)
			out := doctorJSON{Checks: checks, OK: true}
			for _, ch := range checks {
				out.OK = out.OK && !ch.bad()
			}
			if err := k.emit(out, func(w io.Writer) {
				doctorTable(w, checks)
			}); err != nil {
				return err
			}
			if !out.OK {
				return errors.New("doctor: the store can lose or " +
					"mishandle sessions; see above")
			}
			return nil
		}),
	}
}

func doctorTable(w io.Writer, checks []check) {
	for _, c := range checks {
		msg := c.Detail
		if c.Advice != "" {
			msg += ". Fix: " + c.Advice
		}
		row(w, c.Status, c.Check, msg)
	}
}

// diagnose runs every check against the connected Redis.
func (k *conn) diagnose(ctx context.Context) []check {
	nodes := k.gatherAll(ctx)
	cc, isCluster := k.rdb.(*redis.ClusterClient)
	cluster := check{Check: "cluster", Status: statusOK,
		Detail: "not a cluster"}
	if isCluster {
		info, err := cc.ClusterInfo(ctx).Result()
		cluster = clusterCheck(parseInfo(info), err)
	}
	return []check{
		merge(nodes, versionCheck),
		merge(nodes, evictionCheck),
		merge(nodes, persistenceCheck),
		cluster,
		scriptsCheck(limits.Preload(ctx, k.rdb)),
	}
}

// gatherAll reads the facts of every master of a cluster, sorted by
// address, or of the one server.
func (k *conn) gatherAll(ctx context.Context) []facts {
	ns, err := nodes.Masters(ctx, k.rdb)
	if err != nil && len(ns) == 0 {
		return []facts{{addr: "cluster", infoErr: err, configErr: err}}
	}
	out := make([]facts, 0, len(ns))
	for _, n := range ns {
		addr := n.Addr
		if addr == "" {
			addr = strings.Join(k.cfg.RedisAddrs, ",")
		}
		out = append(out, gather(ctx, n.Client, addr))
	}
	return out
}

func gather(ctx context.Context, c redis.Cmdable, addr string) facts {
	f := facts{addr: addr, config: map[string]string{}}
	info, err := c.Info(ctx, "server").Result()
	f.info, f.infoErr = parseInfo(info), err
	for _, p := range []string{"maxmemory-policy", "appendonly", "save"} {
		m, err := c.ConfigGet(ctx, p).Result()
		if err != nil {
			f.configErr = err
			break
		}
		maps.Copy(f.config, m)
	}
	return f
}

// parseInfo reads the "field:value" lines of an INFO reply.
func parseInfo(s string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(s, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), ":")
		if ok && !strings.HasPrefix(k, "#") {
			out[k] = v
		}
	}
	return out
}

// merge runs fn on every node and folds the results into one line: the
// worst, naming the nodes it holds for when there are several.
func merge(nodes []facts, fn func(facts) check) check {
	rs := make([]check, len(nodes))
	worst := 0
	for i, n := range nodes {
		if rs[i] = fn(n); rank(rs[i]) > rank(rs[worst]) {
			worst = i
		}
	}
	w := rs[worst]
	if len(rs) < 2 {
		return w
	}
	var on []string
	for i, r := range rs {
		if r.Status == w.Status && r.Detail == w.Detail {
			on = append(on, nodes[i].addr)
		}
	}
	if len(on) == len(rs) {
		w.Detail += fmt.Sprintf(" (all %d masters)", len(rs))
	} else {
		w.Detail += " (on " + strings.Join(on, ", ") + ")"
	}
	return w
}

// rank orders findings from harmless to harmful.
func rank(c check) int {
	switch {
	case c.Status == statusFail:
		return 3
	case c.bad():
		return 2
	case c.Status == statusWarn:
		return 1
	}
	return 0
}

func unchecked(name, what string, err error, advice string) check {
	return check{Check: name, Status: statusWarn, Advice: advice,
		Detail: fmt.Sprintf("could not be checked: %s failed: %v", what,
			err)}
}

func versionCheck(f facts) check {
	const name = "redis-version"
	v := f.info["redis_version"]
	if f.infoErr == nil && v == "" {
		f.infoErr = errors.New("no redis_version in the reply")
	}
	if f.infoErr != nil {
		return unchecked(name, "INFO server", f.infoErr,
			"make sure the server runs Redis 7 or later")
	}
	major, _ := strconv.Atoi(strings.SplitN(v, ".", 2)[0])
	if major < 7 {
		return check{Check: name, Status: statusFail,
			Detail: "Redis " + v + "; sessionguard needs Redis 7 or later",
			Advice: "upgrade Redis to version 7 or later"}
	}
	return check{Check: name, Status: statusOK, Detail: "Redis " + v}
}

func evictionCheck(f facts) check {
	const name = "eviction"
	if f.configErr != nil {
		return unchecked(name, "CONFIG GET", f.configErr, "check by hand "+
			"that maxmemory-policy is noeviction: eviction silently "+
			"drops sessions and their indexes")
	}
	p := f.config["maxmemory-policy"]
	if p == "noeviction" {
		return check{Check: name, Status: statusOK, Detail: "maxmemory-" +
			"policy noeviction: a full Redis refuses writes, drops nothing"}
	}
	return check{Check: name, Status: statusWarn, DataLoss: true,
		Detail: "maxmemory-policy is " + p + ": when memory runs out " +
			"Redis silently evicts sessions, tokens and indexes",
		Advice: "CONFIG SET maxmemory-policy noeviction (and set it in " +
			"redis.conf), with maxmemory sized for the sessions kept"}
}

func persistenceCheck(f facts) check {
	const name = "persistence"
	if f.configErr != nil {
		return unchecked(name, "CONFIG GET", f.configErr, "check by hand "+
			"that appendonly is yes or RDB save points are set")
	}
	switch {
	case f.config["appendonly"] == "yes":
		return check{Check: name, Status: statusOK, Detail: "AOF on"}
	case f.config["save"] != "":
		return check{Check: name, Status: statusWarn,
			Detail: "RDB snapshots only (save " + f.config["save"] +
				"): a crash loses the writes since the last snapshot",
			Advice: "CONFIG SET appendonly yes (and set it in redis.conf)"}
	}
	return check{Check: name, Status: statusWarn, DataLoss: true,
		Detail: "persistence is off (no AOF, no RDB save points): a " +
			"restart loses every session and token",
		Advice: "CONFIG SET appendonly yes, then CONFIG REWRITE or set " +
			"appendonly yes in redis.conf"}
}

func clusterCheck(info map[string]string, err error) check {
	const name = "cluster"
	if err != nil {
		return check{Check: name, Status: statusFail,
			Detail: fmt.Sprintf("CLUSTER INFO failed: %v", err),
			Advice: "check that the cluster nodes are up and reachable"}
	}
	state, slots := info["cluster_state"], info["cluster_slots_ok"]
	if state != "ok" || slots != "16384" {
		return check{Check: name, Status: statusFail,
			Detail: fmt.Sprintf("cluster_state %s, %s of 16384 slots "+
				"served: users whose keys hash elsewhere cannot be "+
				"served", state, slots),
			Advice: "recover the failed masters or assign the missing " +
				"slots (redis-cli --cluster check, then --cluster fix)"}
	}
	return check{Check: name, Status: statusOK,
		Detail: "cluster_state ok, all 16384 slots served"}
}

func scriptsCheck(err error) check {
	if err != nil {
		return check{Check: "scripts", Status: statusFail,
			Detail: fmt.Sprintf("cannot load the session scripts: %v", err),
			Advice: "allow SCRIPT, EVAL and EVALSHA for the Redis user " +
				"(ACL) and keep scripting enabled"}
	}
	return check{Check: "scripts", Status: statusOK,
		Detail: "session scripts loaded"}
}
