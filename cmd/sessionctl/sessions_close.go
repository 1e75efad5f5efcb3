package main

import (
	"context"
	"errors"
	"io"

	"github.com/spf13/cobra"

	"github.com/sessionguard/sessionguard/store"
)

type closeJSON struct {
	App    string `json:"app"`
	User   string `json:"user"`
	ID     string `json:"id"`
	Closed bool   `json:"closed"`
}

func (c *cli) sessionsCloseCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "close APP USER ID",
		Short: "Close a session: delete its data and revoke its tokens",
		Args:  cobra.ExactArgs(3),
		RunE: c.action(func(ctx context.Context, k *conn, args []string) error {
			ref := store.Ref{App: args[0], User: args[1], ID: args[2]}
			err := k.st.Delete(ctx, store.Admin, ref)
			if errors.Is(err, store.ErrNotFound) {
				return notFound(ref)
			}
			if err != nil {
				return err
			}
			out := closeJSON{App: ref.App, User: ref.User, ID: ref.ID,
				Closed: true}
			return k.emit(out, func(w io.Writer) {
				row(w, "closed session "+ref.App+"/"+ref.User+"/"+ref.ID)
			})
		}),
	}
}
