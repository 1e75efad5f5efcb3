package httpapi

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"net/http"
	"strings"

	"github.com/sessionguard/sessionguard/store"
	"github.com/sessionguard/sessionguard/tokens"
)

// Refusals of the HTTP layer, worded once. None quotes what the client
// sent: that may be a token.
var (
	errNoToken = fmt.Errorf("%w: no bearer token in the Authorization "+
		"header", store.ErrUnauthenticated)
	errMalformed = fmt.Errorf("%w: malformed token",
		store.ErrUnauthenticated)
	errNeedAdmin = fmt.Errorf("%w: creating a session needs the admin "+
		"token", store.ErrUnauthenticated)
	errNoTokens = fmt.Errorf("%w: authentication is disabled: there are "+
		"no tokens", store.ErrInvalidArgument)
)

// bearer returns the token of an "Authorization: Bearer <token>"
// header, and false when there is none.
func bearer(r *http.Request) (string, bool) {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}

// isAdmin compares tok with the admin token in constant time. Comparing
// hashes keeps the admin token's length secret too.
func (a *api) isAdmin(tok string) bool {
	sum := sha256.Sum256([]byte(tok))
	return a.hasAdmin && subtle.ConstantTimeCompare(sum[:], a.admin[:]) == 1
}

// credential returns who the request speaks for: nobody when
// authentication is off, else the admin or a well-formed session token.
// Whether the token opens the session is the store's to say.
func (a *api) credential(r *http.Request) (store.Credential, error) {
	if a.noAuth {
		return store.Anonymous, nil
	}
	text, ok := bearer(r)
	if !ok {
		return store.Credential{}, errNoToken
	}
	if a.isAdmin(text) {
		return store.Admin, nil
	}
	tok, err := tokens.Parse(text)
	if err != nil {
		return store.Credential{}, errMalformed
	}
	return store.Bearer(tok), nil
}

// sessionToken returns the session token the request presents, for
// the routes that act on the token itself.
func (a *api) sessionToken(r *http.Request) (tokens.Token, error) {
	if a.noAuth {
		return tokens.Token{}, errNoTokens
	}
	text, ok := bearer(r)
	switch {
	case !ok:
		return tokens.Token{}, errNoToken
	case a.isAdmin(text):
		return tokens.Token{}, fmt.Errorf("%w: the admin token is not a "+
			"session token", store.ErrInvalidArgument)
	}
	tok, err := tokens.Parse(text)
	if err != nil {
		return tokens.Token{}, errMalformed
	}
	return tok, nil
}

// authorizeCreate lets a create through when no admin token is
// configured (creating is then the open, trusted call the store takes
// it for) or when the request presents the admin token.
func (a *api) authorizeCreate(r *http.Request) error {
	if a.noAuth || !a.hasAdmin {
		return nil
	}
	if text, ok := bearer(r); ok && a.isAdmin(text) {
		return nil
	}
	return errNeedAdmin
}
