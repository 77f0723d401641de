package server

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/swaggest/swgui/v5emb"

	"github.com/telemetryflow/core/internal/reqinfo"
	"github.com/telemetryflow/core/internal/version"
)

// Routes are the parts the mux is built from.
type Routes struct {
	// API serves everything the contract describes (the ogen server).
	API http.Handler
	// Metrics serves Prometheus text; nil leaves /metrics to the API's 404.
	Metrics http.Handler
	// Contract is openapi.yaml as served at /openapi.yaml.
	Contract []byte
	Health   *Health
	// Problem writes a problem+json error for the plain routes (405 and panics).
	Problem func(w http.ResponseWriter, r *http.Request, status int, code, detail string)
	Log     *slog.Logger
	// Wrap, when set, wraps the whole handler (tracing, metrics) inside request-id handling.
	Wrap func(http.Handler) http.Handler
}

// Handler builds the full HTTP handler.
func (rt Routes) Handler() http.Handler {
	mux := http.NewServeMux()
	get := func(path string, h http.HandlerFunc) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				w.Header().Set("Allow", "GET, HEAD")
				rt.Problem(w, r, http.StatusMethodNotAllowed, "method_not_allowed", "Use GET.")
				return
			}
			h(w, r)
		})
	}
	get("/health/live", rt.Health.Live)
	get("/health/ready", rt.Health.Ready)
	get("/version", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, version.Get()) })
	get("/openapi.yaml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/yaml")
		_, _ = w.Write(rt.Contract)
	})
	docs := v5emb.New("TelemetryFlow Core API", "/openapi.yaml", "/docs/")
	get("/docs", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/docs/", http.StatusMovedPermanently)
	})
	get("/docs/", docs.ServeHTTP)
	if rt.Metrics != nil {
		get("/metrics", rt.Metrics.ServeHTTP)
	}
	mux.Handle("/", rt.API)
	var h http.Handler = mux
	if rt.Wrap != nil {
		h = rt.Wrap(h)
	}
	return reqinfo.Middleware(rt.recoverer(h))
}

// recoverer turns a panic in any handler into a logged 500 problem instead of a dropped
// connection.
func (rt Routes) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				rt.Log.ErrorContext(r.Context(), "panic serving request", "panic", v, "stack", string(debug.Stack()))
				rt.Problem(w, r, http.StatusInternalServerError, "internal_error", "An internal error occurred.")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
