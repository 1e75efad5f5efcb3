package limits

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/redis/go-redis/v9"
)

// AppendArgs is one event to append.
type AppendArgs struct {
	Version      int64 // expected stored version; negative accepts any
	EventID      string
	Timestamp    float64 // seconds; ignored when Stamp is set
	Stamp        bool    // stamp the event with Redis time
	EventJSON    []byte  // without a timestamp field when Stamp is set
	Partial      bool    // check only, store nothing
	Limits       Limits
	SessionState Changes
	UserState    Changes
}

// Outcomes of an append that was not refused.
const (
	Stored    = ""
	Duplicate = "duplicate" // the event id was stored before
	Partial   = "partial"   // a partial event is never stored
)

// AppendReply is what append.lua reports.
type AppendReply struct {
	Outcome   string
	Meta      Meta
	Timestamp float64
	Event     []byte // for a Duplicate, the event stored before; else nil
}

// Append runs append.lua. It refuses with NotFound when the session is
// gone, Conflict when Version is stale, Limit when the session is full
// and TooLarge when the event is over the size limit.
func Append(ctx context.Context, rdb redis.UniversalClient, c Call,
	a AppendArgs,
) (AppendReply, error) {
	version, ts, partial := "", "", "0"
	if a.Version >= 0 {
		version = strconv.FormatInt(a.Version, 10)
	}
	if !a.Stamp {
		ts = strconv.FormatFloat(a.Timestamp, 'f', -1, 64)
	}
	if a.Partial {
		partial = "1"
	}
	args := c.args(version, a.EventID, ts, a.EventJSON, partial,
		a.Limits.MaxEventsPerSession, a.Limits.MaxSessionBytes,
		a.Limits.MaxEventBytes, a.Limits.MaxUserStateBytes)
	args = append(args, a.SessionState.flat()...)
	args = append(args, a.UserState.flat()...)
	r, err := reply(appendScript.Run(ctx, rdb, c.keys(), args...).Result())
	if err != nil {
		return AppendReply{}, err
	}
	out := AppendReply{Outcome: str(r[0])}
	if out.Outcome == Duplicate {
		out.Event = []byte(str(r[3]))
	}
	if err := json.Unmarshal([]byte(str(r[1])), &out.Meta); err != nil {
		return out, err
	}
	out.Timestamp, _ = strconv.ParseFloat(str(r[2]), 64)
	return out, nil
}
