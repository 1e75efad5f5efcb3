package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/sessionguard/sessionguard/store"
)

type revokeTokenJSON struct {
	App         string `json:"app"`
	User        string `json:"user"`
	ID          string `json:"id"`
	Fingerprint string `json:"fingerprint"`
	Revoked     int    `json:"revoked"`
}

func (c *cli) tokensRevokeCmd() *cobra.Command {
	var fp string
	cmd := &cobra.Command{
		Use:   "revoke APP USER ID --fingerprint F",
		Short: "Revoke a session's tokens by fingerprint",
		Long: "Revoke the session's live tokens whose fingerprint starts " +
			"with F, as\n'sessions show' prints them. The session and its " +
			"other tokens stay.",
		Args: cobra.ExactArgs(3),
		RunE: c.action(func(ctx context.Context, k *conn, args []string) error {
			ref := store.Ref{App: args[0], User: args[1], ID: args[2]}
			n, err := k.st.RevokeFingerprint(ctx, ref, fp)
			if errors.Is(err, store.ErrNotFound) {
				return k.whyNotFound(ctx, ref, fp)
			}
			if err != nil {
				return err
			}
			out := revokeTokenJSON{App: ref.App, User: ref.User,
				ID: ref.ID, Fingerprint: fp, Revoked: n}
			return k.emit(out, func(w io.Writer) {
				row(w, fmt.Sprintf("revoked %s of %s/%s/%s",
					plural(int64(n), "token"), ref.App, ref.User, ref.ID))
			})
		}),
	}
	cmd.Flags().StringVar(&fp, "fingerprint", "",
		"token fingerprint or a prefix of it, at least 8 characters "+
			"(required)")
	_ = cmd.MarkFlagRequired("fingerprint")
	return cmd
}

// whyNotFound tells a missing session from a fingerprint that matches
// none of its tokens.
func (k *conn) whyNotFound(ctx context.Context, ref store.Ref,
	fp string,
) error {
	live, err := k.st.Exists(ctx, ref)
	switch {
	case err != nil:
		return err
	case !live:
		return notFound(ref)
	}
	return fmt.Errorf("no live token of %s/%s/%s has fingerprint %q",
		printable(ref.App), printable(ref.User), printable(ref.ID), fp)
}
