package store

import (
	"context"
	"time"

	"github.com/sessionguard/sessionguard/limits"
	"github.com/sessionguard/sessionguard/tokens"
)

// IssueToken gives the session another token, valid for the token
// lifetime but never past the session's deadline, and returns it with
// its expiry. cred must open the session. It fails with a *LimitError
// (max_tokens_per_session) when the session has that many live tokens.
func (s *Store) IssueToken(ctx context.Context, cred Credential, ref Ref,
) (tokens.Token, time.Time, error) {
	if err := checkRef(ref); err != nil {
		return tokens.Token{}, time.Time{}, err
	}
	c, err := s.call(cred, ref)
	if err != nil {
		return tokens.Token{}, time.Time{}, err
	}
	tok, err := s.opts.Keys.New(c.User.Base())
	if err != nil {
		return tokens.Token{}, time.Time{}, err
	}
	exp, err := limits.IssueToken(ctx, s.rdb, c, s.opts.Keys.Hash(tok),
		s.opts.TokenTTL, s.opts.MaxTokensPerSession)
	if err != nil {
		return tokens.Token{}, time.Time{}, translate(err)
	}
	return tok, exp, nil
}

// Authenticate checks that cred opens the session and changes nothing.
// It returns nil, ErrUnauthenticated, ErrForbidden or ErrNotFound.
func (s *Store) Authenticate(ctx context.Context, cred Credential,
	ref Ref,
) error {
	if err := checkRef(ref); err != nil {
		return err
	}
	c, err := s.call(cred, ref)
	if err != nil {
		return err
	}
	return translate(limits.CheckToken(ctx, s.rdb, c))
}

// RevokeToken revokes tok, which must be a live token of the session.
// The session and its other tokens stay.
func (s *Store) RevokeToken(ctx context.Context, tok tokens.Token,
	ref Ref,
) error {
	if err := checkRef(ref); err != nil {
		return err
	}
	if s.opts.DisableAuth {
		return invalid("authentication is disabled: there are no tokens")
	}
	c, err := s.call(Bearer(tok), ref)
	if err != nil {
		return err
	}
	return translate(limits.RevokeToken(ctx, s.rdb, c))
}

// RevokeFingerprint revokes the session's tokens whose fingerprint (as
// shown in Info.Tokens) starts with fingerprint, and returns how many.
// It is an admin operation. It fails with ErrNotFound when the session
// or a matching token does not exist.
func (s *Store) RevokeFingerprint(ctx context.Context, ref Ref,
	fingerprint string,
) (int, error) {
	if err := checkRef(ref); err != nil {
		return 0, err
	}
	if len(fingerprint) < 8 {
		return 0, invalid("fingerprint %q is too short", fingerprint)
	}
	c, _ := s.call(Admin, ref)
	n, err := limits.RevokeFingerprint(ctx, s.rdb, c, fingerprint)
	return n, translate(err)
}
