// Package testredis gives tests a Redis to run against: an in-process
// miniredis always, and real servers when the environment names them:
//
//	SESSIONGUARD_TEST_REDIS=127.0.0.1:7379             standalone
//	SESSIONGUARD_TEST_REDIS_CLUSTER=127.0.0.1:7380,... cluster
//
// Each backend hands out a key prefix of its own per test, so tests
// share a server without seeing each other's keys.
package testredis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/sessionguard/sessionguard/internal/nodes"
)

// Environment variables naming real servers.
const (
	EnvStandalone = "SESSIONGUARD_TEST_REDIS"
	EnvCluster    = "SESSIONGUARD_TEST_REDIS_CLUSTER"
)

// Backend is one Redis for one test.
type Backend struct {
	Name   string // "miniredis", "RealRedis" or "RealRedisCluster"
	Client redis.UniversalClient
	Prefix string // a key prefix no other test uses
	// Mini is the miniredis server, nil for real ones.
	Mini *miniredis.Miniredis
	now  *time.Time // miniredis's clock
}

// Real reports whether the backend is a real Redis server.
func (b Backend) Real() bool { return b.Mini == nil }

// Sleep lets d pass for the backend: on miniredis it moves the clock
// and TTLs forward at once, on a real server it sleeps.
func (b Backend) Sleep(d time.Duration) {
	if b.Mini != nil {
		*b.now = b.now.Add(d)
		b.Mini.SetTime(*b.now)
		b.Mini.FastForward(d)
		return
	}
	time.Sleep(d)
}

// Each runs f once per available backend, as subtests named after the
// backend: miniredis always; RealRedis and RealRedisCluster when their
// environment variables are set (skipped with a message otherwise).
func Each(t *testing.T, f func(t *testing.T, b Backend)) {
	t.Run("miniredis", func(t *testing.T) { f(t, Mini(t)) })
	t.Run("RealRedis", func(t *testing.T) { f(t, Standalone(t)) })
	t.Run("RealRedisCluster", func(t *testing.T) { f(t, Cluster(t)) })
}

// Mini starts a miniredis whose clock starts at the current time.
func Mini(t testing.TB) Backend {
	m := miniredis.RunT(t)
	now := time.Now()
	m.SetTime(now)
	c := redis.NewClient(&redis.Options{Addr: m.Addr()})
	t.Cleanup(func() { c.Close() })
	return Backend{Name: "miniredis", Client: c, Prefix: prefix(), Mini: m,
		now: &now}
}

// Standalone connects to the server in SESSIONGUARD_TEST_REDIS, or
// skips the test.
func Standalone(t testing.TB) Backend {
	addr := os.Getenv(EnvStandalone)
	if addr == "" {
		t.Skip("no real Redis: set " + EnvStandalone + " to host:port")
	}
	c := redis.NewClient(&redis.Options{Addr: addr})
	return connect(t, "RealRedis", c)
}

// Cluster connects to the cluster in SESSIONGUARD_TEST_REDIS_CLUSTER,
// or skips the test.
func Cluster(t testing.TB) Backend {
	addrs := os.Getenv(EnvCluster)
	if addrs == "" {
		t.Skip("no real Redis Cluster: set " + EnvCluster +
			" to host:port,host:port,...")
	}
	c := redis.NewClusterClient(&redis.ClusterOptions{
		Addrs: strings.Split(addrs, ","),
	})
	return connect(t, "RealRedisCluster", c)
}

func connect(t testing.TB, name string, c redis.UniversalClient) Backend {
	t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	b := Backend{Name: name, Client: c, Prefix: prefix()}
	t.Cleanup(func() { b.clean(t) })
	return b
}

// clean deletes the test's keys, permanent ones included, so a shared
// server does not fill up run after run.
func (b Backend) clean(t testing.TB) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	keys, err := Keys(ctx, b.Client, b.Prefix)
	for _, k := range keys {
		if err == nil {
			err = b.Client.Del(ctx, k).Err()
		}
	}
	if err != nil {
		t.Logf("%s: cleaning up %s: %v", b.Name, b.Prefix, err)
	}
}

func prefix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "sgtest" + hex.EncodeToString(b[:])
}

// Keys returns every key under prefix, walking every master of a
// cluster with SCAN.
func Keys(ctx context.Context, c redis.UniversalClient, prefix string,
) ([]string, error) {
	ns, err := nodes.Masters(ctx, c)
	var out []string
	for _, n := range ns {
		it := n.Client.Scan(ctx, 0, prefix+":*", 1000).Iterator()
		for err == nil && it.Next(ctx) {
			out = append(out, it.Val())
		}
		err = errors.Join(err, it.Err())
	}
	return out, err
}

// Env reports whether a real standalone Redis is named.
func Env() bool { return os.Getenv(EnvStandalone) != "" }
