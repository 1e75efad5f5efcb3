package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/sessionguard/sessionguard/internal/keyspace"
	"github.com/sessionguard/sessionguard/internal/nodes"
	"github.com/sessionguard/sessionguard/limits"
)

// Admin operations walk the keyspace with SCAN, on every master of a
// cluster, so they cost time proportional to the whole store. They are
// meant for operators (sessionctl), not for request paths.

// AppStats counts the live data of one app.
type AppStats struct {
	App      string
	Users    int64 // users with at least one live session
	Sessions int64
	Events   int64
	Bytes    int64 // stored events plus session state
}

// Users returns users of app that have sessions, about count of them
// (default DefaultPageSize), and the cursor of the next call; "" starts
// and, returned, means the walk is over. A user may appear twice in one
// walk, as SCAN allows, and users whose last session expires during the
// walk may still appear. It fails with ErrInvalidArgument for a cursor
// that names a node which is no longer a master.
func (s *Store) Users(ctx context.Context, app, cursor string, count int,
) ([]string, string, error) {
	if err := checkID("app name", app); err != nil {
		return nil, "", err
	}
	if count <= 0 {
		count = DefaultPageSize
	}
	ns, err := nodes.Masters(ctx, s.rdb)
	if err != nil {
		return nil, "", translate(err)
	}
	i, pos, err := parseWalk(cursor, ns)
	if err != nil {
		return nil, "", err
	}
	match := s.userKeys(keyspace.Encode(app))
	var users []string
	for len(users) < count {
		keys, next, err := ns[i].Client.Scan(ctx, pos, match,
			int64(count)).Result()
		if err != nil {
			return nil, "", translate(err)
		}
		users = append(users, s.usersOf(app, keys)...)
		if pos = next; pos == 0 {
			if i++; i == len(ns) {
				return users, "", nil
			}
		}
	}
	return users, ns[i].Addr + "/" + strconv.FormatUint(pos, 10), nil
}

// usersOf returns the users of app that own the Sessions keys.
func (s *Store) usersOf(app string, keys []string) []string {
	var out []string
	for _, k := range keys {
		if key, ok := s.sessionsKey(k); ok && key.App == app {
			out = append(out, key.UserID)
		}
	}
	return out
}

// Stats counts users, live sessions, events and bytes per app, sorted
// by app name. Only sessions whose idle expiry is still ahead count.
func (s *Store) Stats(ctx context.Context) ([]AppStats, error) {
	now, err := s.rdb.Time(ctx).Result()
	if err != nil {
		return nil, translate(err)
	}
	ns, err := nodes.Masters(ctx, s.rdb)
	if err != nil {
		return nil, translate(err)
	}
	apps := map[string]*AppStats{}
	for _, n := range ns {
		err := scanAll(ctx, n.Client, s.userKeys("*"), func(keys []string) error {
			return s.count(ctx, n.Client, keys, now.UnixMilli(), apps)
		})
		if err != nil {
			return nil, translate(err)
		}
	}
	out := make([]AppStats, 0, len(apps))
	for _, a := range apps {
		out = append(out, *a)
	}
	slices.SortFunc(out, func(a, b AppStats) int {
		return strings.Compare(a.App, b.App)
	})
	return out, nil
}

// count adds the live sessions in the Sessions hashes keys to apps.
func (s *Store) count(ctx context.Context, c redis.Cmdable, keys []string,
	now int64, apps map[string]*AppStats,
) error {
	cmds := make([]*redis.MapStringStringCmd, len(keys))
	_, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range keys {
			cmds[i] = p.HGetAll(ctx, k)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i, k := range keys {
		key, ok := s.sessionsKey(k)
		if !ok {
			continue
		}
		a := apps[key.App]
		if a == nil {
			a = &AppStats{App: key.App}
		}
		if addLive(a, cmds[i].Val(), now) {
			apps[key.App] = a
		}
	}
	return nil
}

// addLive adds the live sessions of one user's metadata to a and
// reports whether there was one.
func addLive(a *AppStats, metas map[string]string, now int64) bool {
	live := false
	for _, raw := range metas {
		var m limits.Meta
		if json.Unmarshal([]byte(raw), &m) != nil || m.Expires <= now {
			continue
		}
		live = true
		a.Sessions++
		a.Events += m.Events
		a.Bytes += m.Bytes
	}
	if live {
		a.Users++
	}
	return live
}

// RevokeUser closes every session of user in app except exceptID (""
// closes them all) and returns the ids it closed. It fails with
// ErrNotFound, closing nothing, when exceptID is not a live session.
// Sessions that expire meanwhile are skipped.
func (s *Store) RevokeUser(ctx context.Context, app, user, exceptID string,
) ([]string, error) {
	ids, err := s.sessionIDs(ctx, app, user)
	if err != nil {
		return nil, err
	}
	if exceptID != "" && !slices.Contains(ids, exceptID) {
		return nil, fmt.Errorf("%w: %q", ErrNotFound, exceptID)
	}
	closed := []string{}
	for _, id := range ids {
		if id == exceptID {
			continue
		}
		err := s.Delete(ctx, Admin, Ref{App: app, User: user, ID: id})
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return closed, err
		}
		closed = append(closed, id)
	}
	return closed, nil
}

// sessionIDs lists the ids of every live session of user in app.
func (s *Store) sessionIDs(ctx context.Context, app, user string,
) ([]string, error) {
	var ids []string
	opts := ListOptions{PageSize: MaxPageSize}
	for {
		page, err := s.List(ctx, Admin, app, user, opts)
		if err != nil {
			return nil, err
		}
		for _, sess := range page.Sessions {
			ids = append(ids, sess.ID)
		}
		if opts.PageToken = page.NextPageToken; opts.PageToken == "" {
			return ids, nil
		}
	}
}

// Exists reports whether the session is live, without counting as
// activity: unlike Get it leaves the idle expiry alone.
func (s *Store) Exists(ctx context.Context, ref Ref) (bool, error) {
	if err := checkRef(ref); err != nil {
		return false, err
	}
	key := keyspace.ForUser(s.opts.Prefix, ref.App, ref.User).Sessions()
	var meta *redis.StringCmd
	var now *redis.TimeCmd
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		meta = p.HGet(ctx, key, ref.ID)
		now = p.Time(ctx)
		return nil
	})
	if errors.Is(err, redis.Nil) {
		return false, nil
	}
	if err != nil {
		return false, translate(err)
	}
	var m limits.Meta
	if err := json.Unmarshal([]byte(meta.Val()), &m); err != nil {
		return false, fmt.Errorf("store: metadata of %s: %w", ref, err)
	}
	return m.Expires > now.Val().UnixMilli(), nil
}

// sessionsKey parses k, a key SCAN matched, and reports whether it is
// truly a Sessions hash of this store's layout.
func (s *Store) sessionsKey(k string) (keyspace.Key, bool) {
	key, ok := keyspace.ParseKey(s.opts.Prefix, k)
	return key, ok && !key.IsSessionKey() && key.Name == "sessions"
}

// userKeys is the SCAN pattern of the Sessions hashes of encApp, which
// may be "*" for every app.
func (s *Store) userKeys(encApp string) string {
	return globEscape(s.opts.Prefix) + ":{u:" + encApp + ":*}:sessions"
}

// globEscape quotes the characters SCAN MATCH treats as special.
// Encoded ids hold none of them; a prefix might.
func globEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`, `[`, `\[`,
		`]`, `\]`).Replace(s)
}

// parseWalk reads a Users cursor, "<node address>/<SCAN cursor>", into
// the node's index and its SCAN cursor.
func parseWalk(cursor string, ns []nodes.Node) (int, uint64, error) {
	if cursor == "" {
		return 0, 0, nil
	}
	addr, pos, ok := strings.Cut(cursor, "/")
	n, err := strconv.ParseUint(pos, 10, 64)
	i := slices.IndexFunc(ns, func(n nodes.Node) bool {
		return n.Addr == addr
	})
	if !ok || err != nil || i < 0 {
		return 0, 0, invalid("cursor %q is not one this store returned "+
			"for the current masters", cursor)
	}
	return i, n, nil
}

// scanAll calls f with each batch of keys matching match on c, each key
// once although SCAN may return a key twice.
func scanAll(ctx context.Context, c redis.Cmdable, match string,
	f func(keys []string) error,
) error {
	var pos uint64
	seen := map[string]bool{}
	for {
		found, next, err := c.Scan(ctx, pos, match, 500).Result()
		if err != nil {
			return err
		}
		keys := found[:0]
		for _, k := range found {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
		if len(keys) > 0 {
			if err := f(keys); err != nil {
				return err
			}
		}
		if pos = next; pos == 0 {
			return nil
		}
	}
}
