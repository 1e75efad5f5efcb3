package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/sessionguard/sessionguard/store"
)

// sessionJSON is a session's bookkeeping in JSON output.
type sessionJSON struct {
	ID             string    `json:"id"`
	Created        time.Time `json:"created"`
	LastUpdate     time.Time `json:"last_update"`
	IdleExpiry     time.Time `json:"idle_expiry"`
	AbsoluteExpiry time.Time `json:"absolute_expiry"`
	EventCount     int64     `json:"event_count"`
	Bytes          int64     `json:"bytes"`
	LiveTokens     int       `json:"live_tokens"`
}

func newSessionJSON(s *store.Session) sessionJSON {
	return sessionJSON{
		ID:             s.ID,
		Created:        s.Info.Created.UTC(),
		LastUpdate:     seconds(s.LastUpdateTime).UTC(),
		IdleExpiry:     s.Info.Expires.UTC(),
		AbsoluteExpiry: s.Info.Deadline.UTC(),
		EventCount:     s.Info.EventCount,
		Bytes:          s.Info.Bytes,
		LiveTokens:     s.Info.LiveTokens,
	}
}

type listJSON struct {
	App           string        `json:"app"`
	User          string        `json:"user"`
	Sessions      []sessionJSON `json:"sessions"`
	NextPageToken string        `json:"next_page_token"`
}

func (c *cli) sessionsListCmd() *cobra.Command {
	var app, user string
	var opts store.ListOptions
	cmd := &cobra.Command{
		Use:   "list --app APP --user USER",
		Short: "List a user's live sessions, most recently updated first",
		Args:  cobra.NoArgs,
		RunE: c.action(func(ctx context.Context, k *conn, _ []string) error {
			opts.CountTokens = true
			page, err := k.st.List(ctx, store.Admin, app, user, opts)
			if err != nil {
				return err
			}
			return k.printList(app, user, page, k.now(ctx))
		}),
	}
	f := cmd.Flags()
	f.StringVar(&app, "app", "", "app name (required)")
	f.StringVar(&user, "user", "", "user id (required)")
	f.IntVar(&opts.PageSize, "page-size", store.DefaultPageSize,
		fmt.Sprintf("sessions per page, at most %d", store.MaxPageSize))
	f.StringVar(&opts.PageToken, "page-token", "",
		"continue after the page that printed this token")
	_ = cmd.MarkFlagRequired("app")
	_ = cmd.MarkFlagRequired("user")
	return cmd
}

func (k *conn) printList(app, user string, page *store.ListPage,
	now time.Time,
) error {
	out := listJSON{App: app, User: user, Sessions: []sessionJSON{},
		NextPageToken: page.NextPageToken}
	for _, s := range page.Sessions {
		out.Sessions = append(out.Sessions, newSessionJSON(s))
	}
	err := k.emit(out, func(w io.Writer) { listTable(w, out, now) })
	if page.NextPageToken != "" {
		fmt.Fprintf(k.stderr, "next page: %s\n", page.NextPageToken)
	}
	return err
}

func listTable(w io.Writer, l listJSON, now time.Time) {
	row(w, "ID", "CREATED", "LAST UPDATE", "IDLE EXPIRY",
		"ABSOLUTE EXPIRY", "EVENTS", "BYTES", "TOKENS")
	for _, s := range l.Sessions {
		row(w, s.ID, stamp(s.Created), stamp(s.LastUpdate),
			until(s.IdleExpiry, now), until(s.AbsoluteExpiry, now),
			s.EventCount, size(s.Bytes), s.LiveTokens)
	}
}
