package main

import (
	"context"
	"io"

	"github.com/spf13/cobra"
)

type appStatsJSON struct {
	App      string `json:"app"`
	Users    int64  `json:"users"`
	Sessions int64  `json:"sessions"`
	Events   int64  `json:"events"`
	Bytes    int64  `json:"bytes"`
}

type statsJSON struct {
	Apps []appStatsJSON `json:"apps"`
}

func (c *cli) statsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "stats",
		Short: "Count users, live sessions, events and bytes per app",
		Long: "Count users with live sessions, live sessions, their " +
			"events and stored bytes\nper app. It walks the keyspace " +
			"with SCAN (every master of a cluster).",
		Args: cobra.NoArgs,
		RunE: c.action(func(ctx context.Context, k *conn, _ []string) error {
			stats, err := k.st.Stats(ctx)
			if err != nil {
				return err
			}
			out := statsJSON{Apps: []appStatsJSON{}}
			for _, a := range stats {
				out.Apps = append(out.Apps, appStatsJSON(a))
			}
			return k.emit(out, func(w io.Writer) { statsTable(w, out) })
		}),
	}
}

func statsTable(w io.Writer, s statsJSON) {
	row(w, "APP", "USERS", "SESSIONS", "EVENTS", "BYTES")
	for _, a := range s.Apps {
		row(w, a.App, a.Users, a.Sessions, a.Events, size(a.Bytes))
	}
}
