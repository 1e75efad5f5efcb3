package main

import (
	"context"
	"io"
	"maps"
	"slices"

	"github.com/spf13/cobra"
)

// usersPage is how many users one walk step asks Redis for.
const usersPage = 500

type usersJSON struct {
	App   string   `json:"app"`
	Users []string `json:"users"`
}

func (c *cli) usersListCmd() *cobra.Command {
	var app string
	cmd := &cobra.Command{
		Use:   "list --app APP",
		Short: "List the users of an app that have sessions",
		Long: "List the users of an app that have sessions, sorted. It " +
			"walks the keyspace\nwith SCAN (every master of a cluster), " +
			"so it takes time on a large store.",
		Args: cobra.NoArgs,
		RunE: c.action(func(ctx context.Context, k *conn, _ []string) error {
			users, err := k.allUsers(ctx, app)
			if err != nil {
				return err
			}
			return k.emit(usersJSON{App: app, Users: users},
				func(w io.Writer) {
					row(w, "USER")
					for _, u := range users {
						row(w, u)
					}
				})
		}),
	}
	cmd.Flags().StringVar(&app, "app", "", "app name (required)")
	_ = cmd.MarkFlagRequired("app")
	return cmd
}

// allUsers walks every user of app, each once, sorted.
func (k *conn) allUsers(ctx context.Context, app string) ([]string, error) {
	seen := map[string]bool{}
	cursor := ""
	for {
		users, next, err := k.st.Users(ctx, app, cursor, usersPage)
		if err != nil {
			return nil, err
		}
		for _, u := range users {
			seen[u] = true
		}
		if cursor = next; cursor == "" {
			all := slices.AppendSeq([]string{}, maps.Keys(seen))
			slices.Sort(all)
			return all, nil
		}
	}
}
