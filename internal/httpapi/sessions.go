package httpapi

import (
	"encoding/json"
	"net/http"

	"github.com/sessionguard/sessionguard/store"
)

// createRequest is the body of a create. ADK clients may spell the id
// session_id; both spellings are read.
type createRequest struct {
	SessionID      string                     `json:"sessionId"`
	SessionIDSnake string                     `json:"session_id"`
	State          map[string]json.RawMessage `json:"state"`
	Events         []json.RawMessage          `json:"events"`
}

// createSession answers POST .../sessions with the new session, its
// token in X-Session-Token and its version in ETag.
func (a *api) createSession(w http.ResponseWriter, r *http.Request) error {
	if err := a.authorizeCreate(r); err != nil {
		return err
	}
	var req createRequest
	if err := a.readJSON(w, r, &req, true); err != nil {
		return err
	}
	if len(req.Events) > 0 {
		return badRequest("events cannot be given on create; append them")
	}
	opts := store.CreateOptions{ID: req.SessionID, State: req.State}
	if opts.ID == "" {
		opts.ID = req.SessionIDSnake
	}
	if opts.ID == "/" {
		// Go's router cannot match a path segment that decodes to a lone
		// "/", so such a session could never be read back.
		return badRequest(`session id "/" cannot be addressed in a URL`)
	}
	sess, tok, err := a.st.Create(r.Context(), r.PathValue("app"),
		r.PathValue("user"), opts)
	if err != nil {
		return err
	}
	if !tok.IsZero() {
		w.Header().Set(headerToken, tok.Reveal())
	}
	setETag(w, sess.Version)
	writeJSON(w, http.StatusOK, sess)
	return nil
}

// getSession answers GET .../sessions/{id}, optionally with only the
// last numRecentEvents events or those at or after afterTimestamp.
func (a *api) getSession(w http.ResponseWriter, r *http.Request) error {
	cred, err := a.credential(r)
	if err != nil {
		return err
	}
	opts, err := getOptions(r)
	if err != nil {
		return err
	}
	sess, err := a.st.Get(r.Context(), cred, ref(r), opts)
	if err != nil {
		return err
	}
	setETag(w, sess.Version)
	writeJSON(w, http.StatusOK, sess)
	return nil
}

func getOptions(r *http.Request) (*store.GetOptions, error) {
	n, err := queryInt(r, "numRecentEvents")
	if err != nil {
		return nil, err
	}
	after, err := queryTime(r, "afterTimestamp")
	if err != nil {
		return nil, err
	}
	return &store.GetOptions{NumRecentEvents: n, AfterTimestamp: after},
		nil
}

// listSessions answers GET .../sessions with one page of the user's
// sessions, without events, and X-Next-Page-Token when more remain.
func (a *api) listSessions(w http.ResponseWriter, r *http.Request) error {
	cred, err := a.credential(r)
	if err != nil {
		return err
	}
	size, err := queryInt(r, "pageSize")
	if err != nil {
		return err
	}
	page, err := a.st.List(r.Context(), cred, r.PathValue("app"),
		r.PathValue("user"), store.ListOptions{PageSize: size,
			PageToken: r.URL.Query().Get("pageToken")})
	if err != nil {
		return err
	}
	if page.NextPageToken != "" {
		w.Header().Set(headerNextPage, page.NextPageToken)
	}
	writeJSON(w, http.StatusOK, page.Sessions)
	return nil
}

// patchRequest is the body of a state update; state_delta is ADK's
// other spelling.
type patchRequest struct {
	StateDelta      map[string]json.RawMessage `json:"stateDelta"`
	StateDeltaSnake map[string]json.RawMessage `json:"state_delta"`
}

// updateState answers PATCH .../sessions/{id}: the delta is recorded as
// an event by "system", as ADK records state-only updates, and the
// updated session is returned.
func (a *api) updateState(w http.ResponseWriter, r *http.Request) error {
	cred, err := a.credential(r)
	if err != nil {
		return err
	}
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var req patchRequest
	if err := a.readJSON(w, r, &req, false); err != nil {
		return err
	}
	delta := req.StateDelta
	if delta == nil {
		delta = req.StateDeltaSnake
	}
	if delta == nil {
		return badRequest("stateDelta is required")
	}
	ev := &store.Event{Author: "system",
		Actions: store.Actions{StateDelta: delta}}
	if _, err := a.st.AppendEvent(r.Context(), cred,
		sessionArg(r, version), ev); err != nil {
		return err
	}
	sess, err := a.st.Get(r.Context(), cred, ref(r), nil)
	if err != nil {
		return err
	}
	setETag(w, sess.Version)
	writeJSON(w, http.StatusOK, sess)
	return nil
}

// deleteSession answers DELETE .../sessions/{id} with 204.
func (a *api) deleteSession(w http.ResponseWriter, r *http.Request) error {
	cred, err := a.credential(r)
	if err != nil {
		return err
	}
	if err := a.st.Delete(r.Context(), cred, ref(r)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// sessionArg is the session an append names: only its address and the
// version the client expects.
func sessionArg(r *http.Request, version int64) *store.Session {
	ref := ref(r)
	return &store.Session{AppName: ref.App, UserID: ref.User, ID: ref.ID,
		Version: version}
}
