// Command sessionctl is the admin CLI of sessionguard: it lists users
// and sessions, shows and closes sessions, revokes tokens, runs the
// janitor and checks that Redis is set up not to lose sessions.
//
//	sessionctl doctor
//	sessionctl sessions list --app chat --user alice
//	sessionctl sessions show chat alice 6f1c... --events 20 -o json
//
// It is configured exactly as sessiond is: flags, SESSIONGUARD_<KEY>
// environment variables and the file named by --config (see package
// config), and talks to that Redis directly, with admin rights. It
// refuses to run without a Redis address: an embedded Redis would be
// empty.
//
// Exit codes: 0 success, 1 error (including "not found" and doctor
// findings that lose data), 2 bad usage (unknown command or flag, wrong
// arguments, invalid configuration).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/redis/go-redis/v9"

	"github.com/sessionguard/sessionguard/store"
)

// Exit codes.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// go-redis logs each failed dial; the error a command returns says it
// once. Set before anything runs, so no client reads it meanwhile.
func init() { redis.SetLogger(quiet{}) }

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run runs sessionctl with args against the configured Redis and
// returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	return execute(defaultEnv(stdout, stderr), args)
}

// execute runs sessionctl with args in e, reports an error on e.stderr
// and returns the exit code.
func execute(e env, args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt,
		syscall.SIGTERM)
	defer stop()

	root := newRootCmd(e)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)

	code := exitCode(err)
	switch code {
	case exitUsage:
		fmt.Fprintf(e.stderr, "sessionctl: %v\nRun '%s --help' for usage.\n",
			err, cmd.CommandPath())
	case exitError:
		fmt.Fprintf(e.stderr, "sessionctl: %v\n", err)
	}
	return code
}

// quiet is a go-redis logger that drops everything.
type quiet struct{}

func (quiet) Printf(context.Context, string, ...any) {}

// usageError is a command line or configuration a command cannot run
// with.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// runError marks an error a command returned while running, so that it
// is told apart from cobra refusing the command line.
type runError struct{ err error }

func (e *runError) Error() string { return e.err.Error() }
func (e *runError) Unwrap() error { return e.err }

// exitCode maps an error of a command to the process exit code.
func exitCode(err error) int {
	var ran *runError
	var usage *usageError
	switch {
	case err == nil:
		return exitOK
	case !errors.As(err, &ran):
		return exitUsage // cobra refused args or flags before running
	case errors.As(err, &usage), errors.Is(err, store.ErrInvalidArgument):
		return exitUsage
	}
	return exitError
}
