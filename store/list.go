package store

import (
	"context"
	"encoding/base64"
	"encoding/json"

	"github.com/sessionguard/sessionguard/limits"
)

// Page sizes of List.
const (
	DefaultPageSize = 20
	MaxPageSize     = 1000
)

// ListOptions select one page of a listing.
type ListOptions struct {
	// PageSize is the most sessions returned; 0 means DefaultPageSize.
	PageSize int
	// PageToken continues after the page that returned it; "" starts.
	PageToken string
	// CountTokens fills Info.LiveTokens of each session.
	CountTokens bool
}

// ListPage is one page of sessions, most recently updated first.
// Sessions carry no events and no state; Get one for those.
type ListPage struct {
	Sessions      []*Session
	NextPageToken string // "" on the last page
}

type cursor struct {
	Score int64  `json:"u"`
	ID    string `json:"id"`
}

// List returns one page of user's live sessions in app. Any token of
// one of the user's sessions in the app may list them. Pages are
// keyset-paginated: a session updated between two pages may move, but
// the pages never repeat or skip the sessions that did not.
func (s *Store) List(ctx context.Context, cred Credential, app, user string,
	opts ListOptions,
) (*ListPage, error) {
	if err := checkUser(app, user); err != nil {
		return nil, err
	}
	args, err := listArgs(opts)
	if err != nil {
		return nil, err
	}
	c, err := s.call(cred, Ref{App: app, User: user})
	if err != nil {
		return nil, err
	}
	r, err := limits.List(ctx, s.rdb, c, args)
	if err != nil {
		return nil, translate(err)
	}
	page := &ListPage{Sessions: make([]*Session, 0, len(r.Sessions))}
	for _, l := range r.Sessions {
		sess := newSession(Ref{App: app, User: user, ID: l.ID}, l.Meta)
		sess.Info.LiveTokens = l.Tokens
		page.Sessions = append(page.Sessions, sess)
	}
	if r.More && len(r.Sessions) > 0 {
		last := r.Sessions[len(r.Sessions)-1]
		page.NextPageToken = encodeCursor(cursor{last.Meta.Updated, last.ID})
	}
	return page, nil
}

func listArgs(opts ListOptions) (limits.ListArgs, error) {
	a := limits.ListArgs{PageSize: opts.PageSize,
		CountTokens: opts.CountTokens}
	switch {
	case a.PageSize == 0:
		a.PageSize = DefaultPageSize
	case a.PageSize < 0 || a.PageSize > MaxPageSize:
		return a, invalid("page size %d is not between 1 and %d",
			a.PageSize, MaxPageSize)
	}
	if opts.PageToken != "" {
		c, err := decodeCursor(opts.PageToken)
		if err != nil {
			return a, err
		}
		a.HasCursor, a.AfterScore, a.AfterID = true, c.Score, c.ID
	}
	return a, nil
}

func encodeCursor(c cursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(tok string) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.ID == "" {
		return c, invalid("page token is not one this store returned")
	}
	return c, nil
}
