package limits

import (
	"context"

	"github.com/redis/go-redis/v9"
)

// Delete runs delete.lua: the session, its data and its tokens go. It
// refuses with NotFound when the session is already gone.
func Delete(ctx context.Context, rdb redis.UniversalClient, c Call) error {
	_, err := reply(deleteScript.Run(ctx, rdb, c.keys(), c.args()...).Result())
	return err
}
