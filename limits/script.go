package limits

import (
	"context"
	"embed"
	"errors"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/sessionguard/sessionguard/internal/nodes"
)

//go:embed scripts/*.lua
var sources embed.FS

// script is one session script with lib.lua prepended.
type script struct {
	*redis.Script
	src string
}

func load(name string) *script {
	lib, err := sources.ReadFile("scripts/lib.lua")
	if err != nil {
		panic(err)
	}
	body, err := sources.ReadFile("scripts/" + name)
	if err != nil {
		panic(err)
	}
	src := string(lib) + "\n" + string(body)
	return &script{Script: redis.NewScript(src), src: src}
}

var (
	createScript = load("create.lua")
	getScript    = load("get.lua")
	appendScript = load("append.lua")
	deleteScript = load("delete.lua")
	listScript   = load("list.lua")
	tokenScript  = load("token.lua")
)

var all = []*script{createScript, getScript, appendScript, deleteScript,
	listScript, tokenScript}

// Preload loads every script into Redis (every master of a cluster),
// so that the first call of each costs one round trip like the rest.
func Preload(ctx context.Context, rdb redis.UniversalClient) error {
	ns, err := nodes.Masters(ctx, rdb)
	if err != nil {
		return err
	}
	for _, n := range ns {
		for _, s := range all {
			if err := s.Load(ctx, n.Client).Err(); err != nil {
				return err
			}
		}
	}
	return nil
}

// runReading runs s and, in the same pipeline, reads the hash at
// extra: a key of another slot, such as the app state. With extra ""
// it is a plain script run. It falls back to sending the source when
// Redis does not know the script yet.
func (s *script) runReading(ctx context.Context, rdb redis.UniversalClient,
	keys []string, args []any, extra string,
) (*redis.MapStringStringCmd, *redis.Cmd, error) {
	if extra == "" {
		none := redis.NewMapStringStringResult(nil, nil)
		return none, s.Run(ctx, rdb, keys, args...), nil
	}
	read, cmd, err := s.pipe(ctx, rdb, keys, args, extra, false)
	if isNoScript(err) {
		read, cmd, err = s.pipe(ctx, rdb, keys, args, extra, true)
	}
	return read, cmd, err
}

func (s *script) pipe(ctx context.Context, rdb redis.UniversalClient,
	keys []string, args []any, extra string, full bool,
) (*redis.MapStringStringCmd, *redis.Cmd, error) {
	var cmd *redis.Cmd
	var read *redis.MapStringStringCmd
	_, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		if full {
			cmd = p.Eval(ctx, s.src, keys, args...)
		} else {
			cmd = p.EvalSha(ctx, s.Hash(), keys, args...)
		}
		read = p.HGetAll(ctx, extra)
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		if cmd.Err() != nil {
			return read, cmd, cmd.Err()
		}
		return read, cmd, err
	}
	return read, cmd, nil
}

func isNoScript(err error) bool {
	return err != nil && strings.HasPrefix(err.Error(), "NOSCRIPT")
}
