package nodes_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/nodes"
	"github.com/sessionguard/sessionguard/internal/testredis"
)

func TestMasters(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		ns, err := nodes.Masters(context.Background(), b.Client)
		require.NoError(t, err)
		if b.Name == "RealRedisCluster" {
			require.Len(t, ns, 3)
			require.True(t, slices.IsSortedFunc(ns, func(a, c nodes.Node) int {
				return strings.Compare(a.Addr, c.Addr)
			}))
			for _, n := range ns {
				require.NotEmpty(t, n.Addr)
			}
			return
		}
		require.Equal(t, []nodes.Node{{Client: b.Client}}, ns)
	})
}
