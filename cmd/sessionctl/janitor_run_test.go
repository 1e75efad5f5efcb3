package main

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sessionguard/sessionguard/internal/testredis"
	"github.com/sessionguard/sessionguard/janitor"
	"github.com/sessionguard/sessionguard/store"
)

// expiredSession leaves alice's s1 expired but still indexed, next to
// her live s2, as a crash or a quiet user would.
func expiredSession(t *testing.T, h *harness) {
	st, err := store.New(h.b.Client, store.Options{Prefix: h.b.Prefix,
		IdleTimeout: 2 * time.Second})
	require.NoError(t, err)
	for _, id := range []string{"s1", "s2"} {
		_, _, err := st.Create(ctx, "chat", "alice", store.CreateOptions{
			ID: id})
		require.NoError(t, err)
		h.b.Sleep(1500 * time.Millisecond)
	}
}

func TestJanitorRun(t *testing.T) {
	h := newHarness(t, testredis.Mini(t))
	expiredSession(t, h)

	var dry janitorJSON
	h.json(&dry, "janitor", "run", "--dry-run")
	require.True(t, dry.DryRun)
	require.Equal(t, 1, dry.Fixed[janitor.ExpiredSessions])
	require.Equal(t, 1, dry.SessionsExamined)

	r := h.run("janitor", "run", "--batch-size", "5")
	require.Equal(t, exitOK, r.code, r.err)
	require.Regexp(t, `(?m)^expired_sessions\s+1$`, r.out)
	require.Regexp(t, `(?m)^KIND\s+FIXED$`, r.out)
	require.Contains(t, r.out, "1 live session")
	require.Regexp(t, `^(janitor: \d+ keys? scanned, \d+ users? done\n)+$`,
		r.err, "plain progress lines off a terminal")

	var again janitorJSON
	h.json(&again, "janitor", "run")
	require.Zero(t, again.Total)
	require.False(t, again.DryRun)
}

func TestJanitorRunProgressBar(t *testing.T) {
	h := newHarness(t, testredis.Mini(t))
	h.create("chat", "alice", "s1")
	h.tty = true

	r := h.run("janitor", "run", "--dry-run")
	require.Equal(t, exitOK, r.code, r.err)
	require.Contains(t, r.out, "dry run: nothing was changed")
	require.True(t, strings.HasPrefix(r.err, "\r["), "%q", r.err)
	require.Regexp(t, `\[#{30}\] 100% \d+ keys scanned, 1 user done\n$`,
		r.err)
}

func TestBar(t *testing.T) {
	tests := []struct {
		n, total int
		done     bool
		want     string
	}{
		{0, 100, false, "[..............................]   0%"},
		{50, 100, false, "[###############...............]  50%"},
		{120, 100, false, "[#############################.]  99%"},
		{7, 0, true, "[##############################] 100%"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, bar(tt.n, tt.total, tt.done))
	}
}
