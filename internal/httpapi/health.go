package httpapi

import (
	"context"
	"net/http"
	"time"
)

// pingTimeout bounds the Redis check of /readyz, so a hung Redis makes
// the probe fail rather than hang.
const pingTimeout = 2 * time.Second

type status struct {
	Status string `json:"status"`
}

// healthz answers 200 while the process serves: a liveness probe. It
// does not touch Redis, so a Redis outage does not restart every pod.
func (a *api) healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, status{Status: "ok"})
}

// readyz answers 200 when Redis answers and 503 otherwise: a readiness
// probe.
func (a *api) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), pingTimeout)
	defer cancel()
	if err := a.st.Ping(ctx); err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, status{Status: "ok"})
}
