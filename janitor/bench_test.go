package janitor_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/sessionguard/sessionguard/internal/testredis"
	"github.com/sessionguard/sessionguard/janitor"
	"github.com/sessionguard/sessionguard/store"
)

// BenchmarkRun measures a run over users with live sessions only, the
// steady state of a store the janitor keeps clean.
func BenchmarkRun(b *testing.B) {
	backends := map[string]func(testing.TB) testredis.Backend{
		"miniredis": testredis.Mini, "RealRedis": testredis.Standalone,
		"RealRedisCluster": testredis.Cluster,
	}
	for _, name := range []string{"miniredis", "RealRedis",
		"RealRedisCluster"} {
		b.Run(name, func(b *testing.B) {
			benchmarkRun(b, backends[name](b), 200, 3)
		})
	}
}

func benchmarkRun(b *testing.B, be testredis.Backend, users, each int) {
	ctx := context.Background()
	if be.Real() {
		b.Cleanup(func() { deleteAll(b, be) })
	}
	st, err := store.New(be.Client, store.Options{Prefix: be.Prefix})
	if err != nil {
		b.Fatal(err)
	}
	for u := range users {
		for range each {
			if _, _, err := st.Create(ctx, app, fmt.Sprint("user-", u),
				store.CreateOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	}

	opts := janitor.Options{Prefix: be.Prefix}
	b.ResetTimer()
	for b.Loop() {
		rep, err := janitor.Run(ctx, be.Client, opts)
		if err != nil || rep.SessionsExamined != users*each {
			b.Fatalf("%+v %v", rep, err)
		}
	}
	b.ReportMetric(float64(users*b.N)/b.Elapsed().Seconds(), "users/s")
}
