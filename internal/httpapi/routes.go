// Package httpapi serves a session store over HTTP in the shapes of
// ADK's REST API, for agent pods written in any language:
//
//	h := httpapi.New(st, httpapi.Options{AdminToken: admin, Logger: log})
//	srv := &http.Server{Addr: ":8080", Handler: h}
//
// Creating a session answers with its token in the X-Session-Token
// header; every other session route wants it back as
// "Authorization: Bearer <token>". A session's version travels in ETag
// and, for appends, in If-Match. Errors are JSON objects
// {"error": {"code": ..., "message": ...}} whose codes are stable (see
// errors.go); messages never contain a token.
package httpapi

import (
	"crypto/sha256"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/sessionguard/sessionguard/store"
)

// Options configure the handler. Zero fields take the defaults stated
// here.
type Options struct {
	// AdminToken is the admin credential: accepted as a bearer token on
	// every route, and then required to create sessions. Default "": no
	// admin credential, and creating sessions is open to any caller that
	// reaches the service.
	AdminToken string
	// Logger gets one info line per request and the details of internal
	// errors. Default: logs are discarded.
	Logger *slog.Logger
}

// Headers of the API.
const (
	headerToken    = "X-Session-Token"
	headerNextPage = "X-Next-Page-Token"
)

// bodySlack is allowed on top of the event size limit, for whitespace
// and the fields the store adds or drops, before a body is refused
// unread.
const bodySlack = 64 << 10

type api struct {
	st       *store.Store
	noAuth   bool
	hasAdmin bool
	admin    [sha256.Size]byte // the admin token's hash, for comparing
	maxBody  int64
	log      *slog.Logger
}

// New returns the HTTP handler of st. It logs each request at info with
// its method, route pattern, status and duration, never a header.
func New(st *store.Store, opts Options) http.Handler {
	so := st.Options()
	a := &api{
		st:       st,
		noAuth:   so.DisableAuth,
		hasAdmin: opts.AdminToken != "",
		admin:    sha256.Sum256([]byte(opts.AdminToken)),
		maxBody:  2*so.MaxEventBytes + bodySlack,
		log:      opts.Logger,
	}
	if a.log == nil {
		a.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	mux := http.NewServeMux()
	a.routes(mux)
	return a.logRequests(mux)
}

func (a *api) routes(mux *http.ServeMux) {
	const s = "/apps/{app}/users/{user}/sessions"
	mux.HandleFunc("POST "+s, a.handle(a.createSession))
	mux.HandleFunc("GET "+s, a.handle(a.listSessions))
	mux.HandleFunc("GET "+s+"/{id}", a.handle(a.getSession))
	mux.HandleFunc("PATCH "+s+"/{id}", a.handle(a.updateState))
	mux.HandleFunc("DELETE "+s+"/{id}", a.handle(a.deleteSession))
	mux.HandleFunc("POST "+s+"/{id}/events", a.handle(a.appendEvent))
	mux.HandleFunc("POST "+s+"/{id}/tokens", a.handle(a.issueToken))
	mux.HandleFunc("DELETE "+s+"/{id}/tokens/self",
		a.handle(a.revokeSelf))
	mux.HandleFunc("GET /healthz", a.healthz)
	mux.HandleFunc("GET /readyz", a.readyz)
	// Any other method or path, known paths included, is no route.
	mux.HandleFunc("/", a.handle(notFound))
}

// handle adapts a handler that returns its failure, so each handler
// says what went wrong once and fail answers it.
func (a *api) handle(h func(http.ResponseWriter, *http.Request) error,
) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			a.fail(w, r, err)
		}
	}
}

func notFound(_ http.ResponseWriter, r *http.Request) error {
	return &apiError{status: http.StatusNotFound, code: "not_found",
		message: "no route for " + r.Method + " " + r.URL.Path}
}

// ref is the session the request's path names.
func ref(r *http.Request) store.Ref {
	return store.Ref{App: r.PathValue("app"), User: r.PathValue("user"),
		ID: r.PathValue("id")}
}

// logRequests logs each request once it is answered. The route is the
// mux pattern, not the path, so ids stay out of the logs.
func (a *api) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		a.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method),
			slog.String("route", r.Pattern),
			slog.Int("status", sw.status),
			slog.Float64("duration_ms",
				float64(time.Since(start).Microseconds())/1000))
	})
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer.
func (w *statusWriter) Unwrap() http.ResponseWriter {
	return w.ResponseWriter
}
