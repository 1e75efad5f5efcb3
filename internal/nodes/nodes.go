// Package nodes lists the Redis servers that hold sessionguard's keys,
// for the work that must visit each of them: SCAN, SCRIPT LOAD, INFO.
//
//	ns, err := nodes.Masters(ctx, rdb)
//	for _, n := range ns {
//		n.Client.Scan(ctx, 0, "sg:*", 100)
//	}
package nodes

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"
)

// Node is one server that holds keys.
type Node struct {
	// Addr is the master's address in a cluster, "" for the one server
	// (or Sentinel-managed master) behind any other client.
	Addr   string
	Client redis.Cmdable
}

// ErrNoMaster is returned for a cluster that reports no master.
var ErrNoMaster = errors.New("nodes: the cluster has no master")

// Masters returns every master of a cluster, sorted by address, or rdb
// itself for any other client.
func Masters(ctx context.Context, rdb redis.UniversalClient,
) ([]Node, error) {
	cc, ok := rdb.(*redis.ClusterClient)
	if !ok {
		return []Node{{Client: rdb}}, nil
	}
	var mu sync.Mutex
	var out []Node
	err := cc.ForEachMaster(ctx, func(_ context.Context, c *redis.Client,
	) error {
		mu.Lock()
		defer mu.Unlock()
		out = append(out, Node{Addr: c.Options().Addr, Client: c})
		return nil
	})
	if err == nil && len(out) == 0 {
		err = ErrNoMaster
	}
	slices.SortFunc(out, func(a, b Node) int {
		return strings.Compare(a.Addr, b.Addr)
	})
	return out, err
}
