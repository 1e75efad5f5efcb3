package store

import (
	"context"

	"github.com/sessionguard/sessionguard/limits"
)

// Delete closes the session: its events and state go, its tokens are
// revoked and its place in the user's limit is freed. App and user
// state stay. It fails with ErrNotFound when the session is already
// gone.
func (s *Store) Delete(ctx context.Context, cred Credential, ref Ref) error {
	if err := checkRef(ref); err != nil {
		return err
	}
	c, err := s.call(cred, ref)
	if err != nil {
		return err
	}
	return translate(limits.Delete(ctx, s.rdb, c))
}
