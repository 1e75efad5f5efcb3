package limits

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// GetArgs selects which events a read returns.
type GetArgs struct {
	Last       int     // keep only the last N events; negative keeps all
	After      float64 // keep events with timestamp >= After (seconds)
	AfterSet   bool    // whether After applies
	WithTokens bool    // also return the session's live token records
	Peek       bool    // read without extending the idle expiry
	// AppState, when set, is read in the same pipeline as the script.
	AppState string
}

// GetReply is a session as get.lua reads it.
type GetReply struct {
	Meta         Meta
	SessionState map[string]string
	UserState    map[string]string
	AppState     map[string]string
	Events       []string
	Tokens       map[string]time.Time // token hash -> expiry
}

// Get runs get.lua, which also refreshes the session's idle expiry. It
// refuses with NotFound when the session is gone.
func Get(ctx context.Context, rdb redis.UniversalClient, c Call,
	a GetArgs,
) (GetReply, error) {
	after := ""
	if a.AfterSet {
		after = strconv.FormatFloat(a.After, 'f', -1, 64)
	}
	tok := "0"
	if a.WithTokens {
		tok = "1"
	}
	peek := "0"
	if a.Peek {
		peek = "1"
	}
	args := c.args(a.Last, after, tok, peek)
	app, cmd, err := getScript.runReading(ctx, rdb, c.keys(), args,
		a.AppState)
	if err != nil {
		return GetReply{}, err
	}
	r, err := reply(cmd.Result())
	if err != nil {
		return GetReply{}, err
	}
	out := GetReply{SessionState: pairs(r[2]), UserState: userState(r[3]),
		Events: strs(r[4]), Tokens: map[string]time.Time{}}
	if err := json.Unmarshal([]byte(str(r[1])), &out.Meta); err != nil {
		return out, err
	}
	for h, exp := range pairs(r[5]) {
		out.Tokens[h] = msTime(exp)
	}
	out.AppState = app.Val()
	return out, nil
}
