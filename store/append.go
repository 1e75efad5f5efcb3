package store

import (
	"context"
	"encoding/json"
	"fmt"
	"math"

	"github.com/sessionguard/sessionguard/limits"
)

// AppendEvent stores ev in sess and applies its state delta by scope,
// atomically with the limit checks. An event without an id is given
// one (in ev too). sess is updated as ADK does: the
// event is added to sess.Events, the delta to sess.State, and
// sess.Version and sess.LastUpdateTime move on. It returns the event as
// stored: temp: keys removed, id and timestamp filled in when missing.
//
// A partial event is checked and returned, never stored. An event whose
// id is already stored is not stored twice: the stored one is returned,
// its app: changes are written again, and sess is left as it is. So an
// append that failed may always be retried with the same event id.
//
// It fails with ErrConflict when sess.Version is not the stored version
// (use AnyVersion to skip the check), ErrNotFound when the session is
// gone (nothing is recreated), a *LimitError when a limit would be
// exceeded (nothing is written), and ErrInvalidArgument for a malformed
// event.
func (s *Store) AppendEvent(ctx context.Context, cred Credential,
	sess *Session, ev *Event,
) (*Event, error) {
	if sess == nil || ev == nil {
		return nil, invalid("nil session or event")
	}
	ref := sess.Ref()
	if err := checkRef(ref); err != nil {
		return nil, err
	}
	c, err := s.call(cred, ref)
	if err != nil {
		return nil, err
	}
	stored, args, delta, err := s.prepareAppend(sess, ev)
	if err != nil {
		return nil, err
	}
	r, err := limits.Append(ctx, s.rdb, c, args)
	if err != nil {
		return nil, translate(err)
	}
	switch r.Outcome {
	case limits.Partial:
		return ev, nil
	case limits.Duplicate:
		// The event as first stored, which this retry may not match.
		if err := json.Unmarshal(r.Event, stored); err != nil {
			return nil, fmt.Errorf("store: stored event: %w", err)
		}
	default:
		stored.Timestamp = r.Timestamp // Redis's, when ev had none
	}
	// App state lives in another slot, so it is written after the event.
	// A retry after a failure here finds the event stored and writes
	// the app state again: retrying makes the append whole.
	if len(delta.app.Set)+len(delta.app.Del) > 0 {
		if _, err := s.writeAppState(ctx, ref.App, delta.app); err != nil {
			return nil, fmt.Errorf("event stored, app state not updated "+
				"(retry the append): %w", err)
		}
	}
	if r.Outcome == limits.Duplicate {
		return stored, nil
	}
	sess.Events = append(sess.Events, stored)
	sess.Version = r.Meta.Version
	sess.LastUpdateTime = float64(r.Meta.Updated) / 1000
	sess.Info.EventCount, sess.Info.Bytes = r.Meta.Events, r.Meta.Bytes
	applyDelta(sess, stored.Actions.StateDelta)
	return stored, nil
}

// prepareAppend validates ev and builds the stored event and the script
// arguments. ev only gains an id when it has none.
func (s *Store) prepareAppend(sess *Session, ev *Event,
) (*Event, limits.AppendArgs, scoped, error) {
	var args limits.AppendArgs
	if ev.ID != "" {
		if err := checkID("event id", ev.ID); err != nil {
			return nil, args, scoped{}, err
		}
	}
	if math.IsNaN(ev.Timestamp) || math.IsInf(ev.Timestamp, 0) ||
		ev.Timestamp < 0 {
		return nil, args, scoped{}, invalid("event timestamp %v is not "+
			"a time", ev.Timestamp)
	}
	delta, err := splitDelta(ev.Actions.StateDelta)
	if err != nil {
		return nil, args, scoped{}, err
	}
	if ev.ID == "" {
		// Written back, so that a retry of ev is recognised as one.
		ev.ID = newID()
	}
	stored := *ev
	stored.Actions.StateDelta = storedDelta(ev.Actions.StateDelta)
	body, err := json.Marshal(stored)
	if err != nil {
		return nil, args, scoped{}, invalid("event: %v", err)
	}
	if int64(len(body)) > s.opts.MaxEventBytes {
		return nil, args, scoped{}, &LimitError{Limit: "max_event_size_bytes"}
	}
	args = limits.AppendArgs{
		Version: sess.Version, EventID: stored.ID,
		Timestamp: stored.Timestamp, Stamp: stored.Timestamp == 0,
		EventJSON: body, Partial: ev.Partial, Limits: s.opts.limits(),
		SessionState: delta.session, UserState: delta.user,
	}
	return &stored, args, delta, nil
}

// applyDelta updates a caller's copy of the state the way the script
// updated the stored one.
func applyDelta(sess *Session, delta map[string]json.RawMessage) {
	if sess.State == nil {
		sess.State = map[string]json.RawMessage{}
	}
	for k, v := range delta {
		if isNull(v) {
			delete(sess.State, k)
		} else {
			sess.State[k] = v
		}
	}
}
