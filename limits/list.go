package limits

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/redis/go-redis/v9"
)

// ListArgs selects one page of a user's sessions.
type ListArgs struct {
	PageSize    int
	AfterScore  int64 // cursor: last update (ms) of the previous page's end
	AfterID     string
	HasCursor   bool
	CountTokens bool
}

// Listed is one session of a page.
type Listed struct {
	ID     string
	Meta   Meta
	Tokens int // live tokens, when counted
}

// ListReply is one page, newest update first.
type ListReply struct {
	Sessions []Listed
	More     bool
}

// List runs list.lua.
func List(ctx context.Context, rdb redis.UniversalClient, c Call,
	a ListArgs,
) (ListReply, error) {
	score, tok := "", "0"
	if a.HasCursor {
		score = strconv.FormatInt(a.AfterScore, 10)
	}
	if a.CountTokens {
		tok = "1"
	}
	args := c.args(a.PageSize, score, a.AfterID, tok)
	r, err := reply(listScript.Run(ctx, rdb, c.keys(), args...).Result())
	if err != nil {
		return ListReply{}, err
	}
	out := ListReply{More: str(r[2]) == "1"}
	items, _ := r[1].([]any)
	for i := 0; i+2 < len(items); i += 3 {
		l := Listed{ID: str(items[i])}
		if err := json.Unmarshal([]byte(str(items[i+1])), &l.Meta); err != nil {
			return out, err
		}
		l.Tokens, _ = strconv.Atoi(str(items[i+2]))
		out.Sessions = append(out.Sessions, l)
	}
	return out, nil
}
