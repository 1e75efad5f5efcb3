package limits

import (
	"context"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// IssueToken records a new token (by its hash) for the session of c and
// returns its expiry: ttl from now, never past the session's deadline.
// It refuses with Limit when the session has max live tokens already.
func IssueToken(ctx context.Context, rdb redis.UniversalClient, c Call,
	hash string, ttl time.Duration, max int,
) (time.Time, error) {
	r, err := runToken(ctx, rdb, c, "issue", hash, ms(ttl), max)
	if err != nil {
		return time.Time{}, err
	}
	return msTime(r), nil
}

// CheckToken authenticates the call against its session and changes
// nothing.
func CheckToken(ctx context.Context, rdb redis.UniversalClient, c Call) error {
	_, err := runToken(ctx, rdb, c, "check", "", "0", 0)
	return err
}

// RevokeToken deletes the token the call presented.
func RevokeToken(ctx context.Context, rdb redis.UniversalClient, c Call) error {
	_, err := runToken(ctx, rdb, c, "revoke", "", "0", 0)
	return err
}

// RevokeFingerprint deletes the session's tokens whose stored hash
// starts with prefix, and returns how many it deleted. It refuses with
// NotFound when there is none.
func RevokeFingerprint(ctx context.Context, rdb redis.UniversalClient,
	c Call, prefix string,
) (int, error) {
	r, err := runToken(ctx, rdb, c, "revoke_fingerprint", prefix, "0", 0)
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(r)
}

func runToken(ctx context.Context, rdb redis.UniversalClient, c Call,
	op, arg, ttl string, max int,
) (string, error) {
	args := c.args(op, arg, ttl, max)
	r, err := reply(tokenScript.Run(ctx, rdb, c.keys(), args...).Result())
	if err != nil {
		return "", err
	}
	return str(r[1]), nil
}
