package limits

import (
	"context"
	"encoding/json"
	"time"

	"github.com/redis/go-redis/v9"
)

// CreateArgs describes a new session.
type CreateArgs struct {
	Lifetime     time.Duration // absolute lifetime
	Gen          string        // random incarnation id
	TokenHash    string        // stored form of the first token; "" for none
	TokenTTL     time.Duration
	Limits       Limits
	SessionState Changes
	UserState    Changes
	// AppState, when set, is read in the same pipeline as the script.
	AppState string
}

// Limits are the per-user and per-session limits the scripts enforce.
type Limits struct {
	MaxSessionsPerUser  int
	Policy              Policy
	MaxEventsPerSession int
	MaxSessionBytes     int64
	MaxEventBytes       int64
	// MaxUserStateBytes caps the user: state of one user in one app,
	// which outlives sessions.
	MaxUserStateBytes int64
}

// CreateReply is what create.lua reports.
type CreateReply struct {
	Meta        Meta
	TokenExpiry time.Time // zero when no token was issued
	Evicted     []string  // sessions closed to make room
	UserState   map[string]string
	AppState    map[string]string
}

// Create runs create.lua. It refuses with Exists when a live session
// has the id, and with Limit when the user is at the session limit
// under the Reject policy or the initial state is over the size limit.
func Create(ctx context.Context, rdb redis.UniversalClient, c Call,
	a CreateArgs,
) (CreateReply, error) {
	args := c.args(ms(a.Lifetime), a.Gen, a.TokenHash, ms(a.TokenTTL),
		a.Limits.MaxSessionsPerUser, string(a.Limits.Policy),
		a.Limits.MaxSessionBytes, a.Limits.MaxUserStateBytes)
	args = append(args, a.SessionState.flat()...)
	args = append(args, a.UserState.flat()...)
	app, cmd, err := createScript.runReading(ctx, rdb, c.keys(), args,
		a.AppState)
	if err != nil {
		return CreateReply{}, err
	}
	r, err := reply(cmd.Result())
	if err != nil {
		return CreateReply{}, err
	}
	out := CreateReply{AppState: app.Val()}
	if err := json.Unmarshal([]byte(str(r[1])), &out.Meta); err != nil {
		return out, err
	}
	out.TokenExpiry = msTime(str(r[2]))
	out.Evicted = strs(r[3])
	out.UserState = userState(r[4])
	return out, nil
}
