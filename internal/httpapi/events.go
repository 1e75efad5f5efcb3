package httpapi

import (
	"net/http"

	"github.com/sessionguard/sessionguard/store"
)

// appendEvent answers POST .../sessions/{id}/events with the event as
// stored (temp: state removed, id and timestamp filled in) and the new
// version in ETag. If-Match makes it fail with conflict unless the
// session is still at that version. A partial event, or one whose id is
// already stored, changes nothing and is answered without ETag.
func (a *api) appendEvent(w http.ResponseWriter, r *http.Request) error {
	cred, err := a.credential(r)
	if err != nil {
		return err
	}
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var ev store.Event
	if err := a.readJSON(w, r, &ev, false); err != nil {
		return err
	}
	sess := sessionArg(r, version)
	stored, err := a.st.AppendEvent(r.Context(), cred, sess, &ev)
	if err != nil {
		return err
	}
	// The store adds the event to sess only when it stored it.
	if len(sess.Events) > 0 {
		setETag(w, sess.Version)
	}
	writeJSON(w, http.StatusOK, stored)
	return nil
}
