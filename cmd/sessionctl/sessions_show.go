package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sessionguard/sessionguard/store"
)

// contentWidth is how much of an event's content a table shows.
const contentWidth = 60

type showJSON struct {
	App  string `json:"app"`
	User string `json:"user"`
	sessionJSON
	Version int64 `json:"version"`
	// State holds the "app", "user" and "session" scopes.
	State  map[string]map[string]json.RawMessage `json:"state"`
	Events []eventJSON                           `json:"events"`
	Tokens []tokenJSON                           `json:"tokens"`
}

type eventJSON struct {
	ID           string          `json:"id"`
	InvocationID string          `json:"invocation_id"`
	Author       string          `json:"author"`
	Timestamp    time.Time       `json:"timestamp"`
	Content      json.RawMessage `json:"content"`
}

type tokenJSON struct {
	Fingerprint string    `json:"fingerprint"`
	Expires     time.Time `json:"expires"`
}

// sessionsShowCmd peeks: an operator's look does not keep a session
// alive.
func (c *cli) sessionsShowCmd() *cobra.Command {
	var events int
	cmd := &cobra.Command{
		Use:   "show APP USER ID",
		Short: "Show a session: state, recent events, TTLs and tokens",
		Long: "Show a session: its state by scope, its last events, " +
			"version, expiries and\nthe fingerprints of its live tokens " +
			"(never the tokens). Unlike an agent's read, it does not\n" +
			"extend the idle expiry.",
		Args: cobra.ExactArgs(3),
		RunE: c.action(func(ctx context.Context, k *conn, args []string) error {
			ref := store.Ref{App: args[0], User: args[1], ID: args[2]}
			s, err := k.st.Get(ctx, store.Admin, ref, &store.GetOptions{
				NumRecentEvents: events, WithTokens: true, Peek: true})
			if errors.Is(err, store.ErrNotFound) {
				return notFound(ref)
			}
			if err != nil {
				return err
			}
			out, now := newShowJSON(s), k.now(ctx)
			return k.emit(out, func(w io.Writer) { showTable(w, out, now) })
		}),
	}
	cmd.Flags().IntVar(&events, "events", 10,
		"show the last N events; 0 shows all")
	return cmd
}

func newShowJSON(s *store.Session) showJSON {
	out := showJSON{App: s.AppName, User: s.UserID,
		sessionJSON: newSessionJSON(s), Version: s.Version,
		State:  map[string]map[string]json.RawMessage{},
		Events: []eventJSON{}, Tokens: []tokenJSON{}}
	out.LiveTokens = len(s.Info.Tokens)
	for _, scope := range []string{"app", "user", "session"} {
		out.State[scope] = map[string]json.RawMessage{}
	}
	for k, v := range s.State {
		out.State[scopeOf(k)][k] = v
	}
	for _, e := range s.Events {
		out.Events = append(out.Events, eventJSON{ID: e.ID,
			InvocationID: e.InvocationID, Author: e.Author,
			Timestamp: seconds(e.Timestamp).UTC(), Content: e.Content})
	}
	for _, t := range s.Info.Tokens {
		out.Tokens = append(out.Tokens, tokenJSON{t.Fingerprint,
			t.Expires.UTC()})
	}
	slices.SortFunc(out.Tokens, func(a, b tokenJSON) int {
		return a.Expires.Compare(b.Expires)
	})
	return out
}

// scopeOf names the scope of a state key by its prefix.
func scopeOf(key string) string {
	switch {
	case strings.HasPrefix(key, store.AppPrefix):
		return "app"
	case strings.HasPrefix(key, store.UserPrefix):
		return "user"
	}
	return "session"
}

func showTable(w io.Writer, s showJSON, now time.Time) {
	row(w, "Session:", s.App+"/"+s.User+"/"+s.ID)
	row(w, "Version:", s.Version)
	row(w, "Created:", stamp(s.Created))
	row(w, "Last update:", stamp(s.LastUpdate))
	row(w, "Idle expiry:", stamp(s.IdleExpiry)+" ("+
		until(s.IdleExpiry, now)+")")
	row(w, "Deadline:", stamp(s.AbsoluteExpiry)+" ("+
		until(s.AbsoluteExpiry, now)+")")
	row(w, "Stored:", plural(s.EventCount, "event")+", "+size(s.Bytes))

	fmt.Fprintln(w, "\nSTATE")
	row(w, "SCOPE", "KEY", "VALUE")
	for _, scope := range []string{"app", "user", "session"} {
		for _, key := range slices.Sorted(maps.Keys(s.State[scope])) {
			row(w, scope, key, oneLine(string(s.State[scope][key]),
				contentWidth))
		}
	}

	fmt.Fprintf(w, "\nEVENTS (last %d of %d)\n", len(s.Events),
		s.EventCount)
	row(w, "ID", "AUTHOR", "TIMESTAMP", "CONTENT")
	for _, e := range s.Events {
		row(w, e.ID, e.Author, stamp(e.Timestamp), summary(e.Content))
	}

	fmt.Fprintln(w, "\nTOKENS")
	row(w, "FINGERPRINT", "EXPIRES")
	for _, t := range s.Tokens {
		row(w, t.Fingerprint, stamp(t.Expires)+" ("+until(t.Expires, now)+")")
	}
}

// summary gives the gist of an ADK content object on one line: its
// text parts, and the names of the functions it calls or answers.
func summary(raw json.RawMessage) string {
	var c struct {
		Parts []struct {
			Text         string
			FunctionCall *struct{ Name string } `json:"functionCall"`
			FunctionResp *struct{ Name string } `json:"functionResponse"`
		}
	}
	var bits []string
	if json.Unmarshal(raw, &c) == nil {
		for _, p := range c.Parts {
			switch {
			case p.FunctionCall != nil:
				bits = append(bits, "call "+p.FunctionCall.Name+"()")
			case p.FunctionResp != nil:
				bits = append(bits, "result of "+p.FunctionResp.Name+"()")
			case p.Text != "":
				bits = append(bits, p.Text)
			}
		}
	}
	if len(bits) == 0 {
		return oneLine(string(raw), contentWidth)
	}
	return oneLine(strings.Join(bits, " | "), contentWidth)
}
