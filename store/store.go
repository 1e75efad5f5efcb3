package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"unicode/utf8"

	"github.com/redis/go-redis/v9"

	"github.com/sessionguard/sessionguard/internal/keyspace"
	"github.com/sessionguard/sessionguard/limits"
	"github.com/sessionguard/sessionguard/tokens"
)

// MaxIDBytes is the longest app name, user id or session id accepted.
const MaxIDBytes = 512

// Store is a session store on one Redis deployment (standalone,
// Sentinel or Cluster). It is safe for concurrent use.
type Store struct {
	rdb  redis.UniversalClient
	opts Options
}

// New returns a Store on rdb. Zero fields of opts take their defaults.
func New(rdb redis.UniversalClient, opts Options) (*Store, error) {
	if rdb == nil {
		return nil, invalid("nil redis client")
	}
	if opts.OverLimit != "" && opts.OverLimit != limits.Reject &&
		opts.OverLimit != limits.EvictLRU {
		return nil, invalid("over-limit policy %q is not %q or %q",
			opts.OverLimit, limits.Reject, limits.EvictLRU)
	}
	return &Store{rdb: rdb, opts: opts.withDefaults()}, nil
}

// Preload loads the store's scripts into Redis, so that even the first
// call of each operation is a single round trip.
func (s *Store) Preload(ctx context.Context) error {
	return translate(limits.Preload(ctx, s.rdb))
}

// Ping reports whether Redis answers.
func (s *Store) Ping(ctx context.Context) error {
	return translate(s.rdb.Ping(ctx).Err())
}

// Options returns the options in force, defaults filled in.
func (s *Store) Options() Options { return s.opts }

// Ref names one session.
type Ref struct {
	App  string
	User string
	ID   string
}

func (r Ref) String() string {
	return fmt.Sprintf("%q/%q/%q", r.App, r.User, r.ID)
}

// Credential is who asks: a session token, the admin, or nobody.
type Credential struct {
	token tokens.Token
	admin bool
}

// Bearer is the credential of a session token.
func Bearer(t tokens.Token) Credential { return Credential{token: t} }

// Admin is the credential of a trusted operator or backend: it opens
// every session. Callers must establish trust themselves.
var Admin = Credential{admin: true}

// Anonymous presents no credential; it is accepted only when
// authentication is disabled.
var Anonymous = Credential{}

// call builds the script call for ref as cred, or refuses it without a
// round trip when the credential cannot be valid for ref's user.
func (s *Store) call(cred Credential, ref Ref) (limits.Call, error) {
	c := limits.Call{
		User:      keyspace.ForUser(s.opts.Prefix, ref.App, ref.User),
		SessionID: ref.ID,
		Isolation: !s.opts.DisableIsolation,
		Idle:      s.opts.IdleTimeout,
	}
	switch {
	case s.opts.DisableAuth:
		c.AuthMode = limits.AuthNone
	case cred.admin:
		c.AuthMode = limits.AuthAdmin
	case cred.token.IsZero():
		return c, fmt.Errorf("%w: no token", ErrUnauthenticated)
	case !s.opts.Keys.Genuine(cred.token):
		return c, fmt.Errorf("%w: unknown token", ErrUnauthenticated)
	case !s.opts.Keys.Owns(cred.token, c.User.Base()):
		return c, fmt.Errorf("%w: token belongs to another user",
			ErrForbidden)
	default:
		c.AuthMode = limits.AuthToken
		c.TokenHashes = s.opts.Keys.Hashes(cred.token)
	}
	return c, nil
}

func checkID(what, id string) error {
	switch {
	case id == "":
		return invalid("%s is empty", what)
	case len(id) > MaxIDBytes:
		return invalid("%s is %d bytes, more than %d", what, len(id),
			MaxIDBytes)
	case !utf8.ValidString(id):
		return invalid("%s is not valid UTF-8", what)
	}
	return nil
}

func checkUser(app, user string) error {
	if err := checkID("app name", app); err != nil {
		return err
	}
	return checkID("user id", user)
}

func checkRef(ref Ref) error {
	if err := checkUser(ref.App, ref.User); err != nil {
		return err
	}
	return checkID("session id", ref.ID)
}

// newID returns a random UUID (version 4) in its usual text form.
func newID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" +
		h[20:]
}

func randomGen() string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b[:])
}
