package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/sessionguard/sessionguard/store"
)

type revokeUserJSON struct {
	App    string   `json:"app"`
	User   string   `json:"user"`
	Kept   string   `json:"kept"`
	Closed []string `json:"closed"`
}

func (c *cli) usersRevokeCmd() *cobra.Command {
	var except string
	cmd := &cobra.Command{
		Use:   "revoke APP USER [--except ID]",
		Short: "Close all of a user's sessions in an app, but one",
		Long: "Close every session of the user in the app, except the " +
			"one named by --except.\nWhen that session does not exist " +
			"nothing is closed.",
		Args: cobra.ExactArgs(2),
		RunE: c.action(func(ctx context.Context, k *conn, args []string) error {
			app, user := args[0], args[1]
			closed, err := k.st.RevokeUser(ctx, app, user, except)
			if errors.Is(err, store.ErrNotFound) {
				return notFound(store.Ref{App: app, User: user, ID: except})
			}
			if err != nil {
				return err
			}
			out := revokeUserJSON{App: app, User: user, Kept: except,
				Closed: closed}
			return k.emit(out, func(w io.Writer) { revokeUserTable(w, out) })
		}),
	}
	cmd.Flags().StringVar(&except, "except", "",
		"keep this session open (default: close all)")
	return cmd
}

func revokeUserTable(w io.Writer, r revokeUserJSON) {
	msg := fmt.Sprintf("closed %s of %s/%s", plural(int64(len(r.Closed)),
		"session"), r.App, r.User)
	if r.Kept != "" {
		msg += ", kept " + r.Kept
	}
	row(w, msg)
	for _, id := range r.Closed {
		row(w, "  "+id)
	}
}
