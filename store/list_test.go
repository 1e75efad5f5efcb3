package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/testredis"
	"github.com/sessionguard/sessionguard/store"
)

func TestListPagesNewestFirst(t *testing.T) {
	testredis.Each(t, func(t *testing.T, b testredis.Backend) {
		st := newStore(t, b, store.Options{MaxSessionsPerUser: 50})
		var want []string
		for i := range 23 {
			id := fmt.Sprintf("s%02d", i)
			create(t, st, "app", "u", id)
			want = append([]string{id}, want...)
			if i%3 == 0 {
				b.Sleep(2 * time.Millisecond) // some ties, some not
			}
		}
		var got []string
		token := ""
		for pages := 0; ; pages++ {
			require.Less(t, pages, 10)
			page, err := st.List(ctx, store.Admin, "app", "u",
				store.ListOptions{PageSize: 5, PageToken: token,
					CountTokens: true})
			require.NoError(t, err)
			for _, s := range page.Sessions {
				require.Empty(t, s.Events)
				require.Equal(t, 1, s.Info.LiveTokens)
				got = append(got, s.ID)
			}
			if token = page.NextPageToken; token == "" {
				break
			}
		}
		require.ElementsMatch(t, want, got)
		require.Len(t, got, 23, "no repeats")
		for i := 1; i < len(got); i++ {
			// Newest first: creation order reversed within ties too.
			require.Greater(t, got[i-1], got[i])
		}
		_, err := st.List(ctx, store.Admin, "app", "u",
			store.ListOptions{PageToken: "garbage"})
		require.ErrorIs(t, err, store.ErrInvalidArgument)
		empty, err := st.List(ctx, store.Admin, "app", "nobody",
			store.ListOptions{})
		require.NoError(t, err)
		require.Empty(t, empty.Sessions)
		require.Empty(t, empty.NextPageToken)
	})
}
