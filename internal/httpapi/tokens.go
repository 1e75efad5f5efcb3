package httpapi

import (
	"net/http"
	"time"
)

// tokenReply is the body of a token issue; the token itself travels in
// X-Session-Token, like on create.
type tokenReply struct {
	ExpiresAt string `json:"expiresAt"`
}

// issueToken answers POST .../sessions/{id}/tokens with 201, a fresh
// token for the session in X-Session-Token and its expiry.
func (a *api) issueToken(w http.ResponseWriter, r *http.Request) error {
	if a.noAuth {
		return errNoTokens
	}
	cred, err := a.credential(r)
	if err != nil {
		return err
	}
	tok, exp, err := a.st.IssueToken(r.Context(), cred, ref(r))
	if err != nil {
		return err
	}
	w.Header().Set(headerToken, tok.Reveal())
	writeJSON(w, http.StatusCreated,
		tokenReply{ExpiresAt: exp.UTC().Format(time.RFC3339)})
	return nil
}

// revokeSelf answers DELETE .../sessions/{id}/tokens/self with 204 once
// the token the request presents is revoked. The session and its other
// tokens stay.
func (a *api) revokeSelf(w http.ResponseWriter, r *http.Request) error {
	tok, err := a.sessionToken(r)
	if err != nil {
		return err
	}
	if err := a.st.RevokeToken(r.Context(), tok, ref(r)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
