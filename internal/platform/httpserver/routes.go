package httpserver

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"runtime/debug"
	"strings"

	"github.com/swaggest/swgui/v5emb"

	"github.com/telemetryflow/core/internal/platform/reqinfo"
	"github.com/telemetryflow/core/internal/platform/version"
)

// Routes are the parts the mux is built from.
type Routes struct {
	// API serves everything the contract describes (the ogen server).
	API http.Handler
	// Metrics serves Prometheus text; nil leaves /metrics to the API's 404.
	Metrics http.Handler
	// Console serves the embedded admin console under /console/ with its own
	// Content-Security-Policy (internal/console); nil leaves /console to the API's 404.
	Console http.Handler
	// Contract is openapi.yaml as served at /openapi.yaml.
	Contract []byte
	Health   *Health
	// Problem writes a problem+json error for the plain routes (405 and panics).
	Problem func(w http.ResponseWriter, r *http.Request, status int, code, detail string)
	Log     *slog.Logger
	// Wrap, when set, wraps the whole handler (tracing, metrics, access log) inside request-id
	// handling and route naming, and outside panic recovery, so it observes recovered panics as
	// the 500 they become.
	Wrap func(http.Handler) http.Handler
	// BodyLimit is the cap, in bytes, on the request body of an operation (a contract operation
	// id, a plain route's name or Unmatched); nil caps every body at DefaultMaxBodyBytes.
	BodyLimit func(operation string) int64
	// FindAPIRoute names the contract operation serving a request (ogen's router), for
	// reqinfo.Info's OperationName, Operation and Route; nil leaves API requests "unmatched".
	FindAPIRoute func(method string, u *url.URL) (APIRoute, bool)
	// Proxies are the trusted reverse proxies (TF_TRUSTED_PROXIES) that name the client.
	Proxies reqinfo.Proxies
}

// APIRoute is a contract operation as the API's router knows it.
type APIRoute struct {
	Name      string // ogen's operation name, e.g. GetUser
	Operation string // operationId, e.g. getUser
	Template  string // path template, e.g. /api/v2/users/{id}
}

// Unmatched is the Operation and Route of a request no route serves: one value for every
// unknown path keeps metric label cardinality bounded.
const Unmatched = "unmatched"

// Handler builds the full HTTP handler.
func (rt Routes) Handler() http.Handler {
	mux, names, docs := rt.plainRoutes()
	mux.Handle("/", rt.API)
	route := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if apiPath(r) {
			rt.API.ServeHTTP(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
	h := securityHeaders(docsPolicyFor(docs), rt.limitBodies(rt.recoverer(route)))
	if rt.Wrap != nil {
		h = rt.Wrap(h)
	}
	return rt.Proxies.Middleware(rt.nameRoute(mux, names, h))
}

// plainRoutes is the mux of the routes outside the contract (health, version, docs, console,
// metrics) and names, each pattern's operation name. None may lie under apiPrefix, whose paths
// go to the API without asking the mux (TestNoPlainRouteUnderTheAPIPrefix).
func (rt Routes) plainRoutes() (mux *http.ServeMux, names map[string]string, docs http.Handler) {
	mux, names = http.NewServeMux(), map[string]string{}
	get := func(path, name string, h http.HandlerFunc) {
		names[path] = name
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				w.Header().Set("Allow", "GET, HEAD")
				rt.Problem(w, r, http.StatusMethodNotAllowed, "method_not_allowed", "Use GET.")
				return
			}
			h(w, r)
		})
	}
	get("/health/live", "healthLive", rt.Health.Live)
	get("/health/ready", "healthReady", rt.Health.Ready)
	// The architecture's monitoring diagram reads the backend's /health: the same verdict as
	// readiness, so a probe or a person asking "is it healthy" gets the dependencies' state.
	get("/health", "health", rt.Health.Ready)
	get("/version", "version", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, version.Get()) })
	get("/openapi.yaml", "openapi", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/yaml")
		_, _ = w.Write(rt.Contract)
	})
	docs = v5emb.New("TelemetryFlow Core API", "/openapi.yaml", "/docs/")
	get("/docs", "docs", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/docs/", http.StatusMovedPermanently)
	})
	get("/docs/", "docs", docs.ServeHTTP)
	if rt.Console != nil {
		get("/console", "console", rt.Console.ServeHTTP)
		get("/console/", "console", rt.Console.ServeHTTP)
	}
	if rt.Metrics != nil {
		get("/metrics", "metrics", rt.Metrics.ServeHTTP)
	}
	return mux, names, docs
}

// nameRoute records which route will serve the request before anything observes it.
func (rt Routes) nameRoute(mux *http.ServeMux, names map[string]string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := reqinfo.From(r.Context())
		info.Operation, info.Route = Unmatched, Unmatched
		if !apiPath(r) { // no plain route is under apiPrefix
			if _, pattern := mux.Handler(r); names[pattern] != "" {
				info.Operation, info.Route = names[pattern], pattern
			}
		}
		if info.Route == Unmatched && rt.FindAPIRoute != nil {
			if api, ok := rt.FindAPIRoute(r.Method, r.URL); ok {
				info.OperationName, info.Operation, info.Route = api.Name, api.Operation, api.Template
			}
		}
		next.ServeHTTP(w, r)
	})
}

// apiPath reports a request the mux would hand to the API anyway, decided without the mux:
// each of its matches allocates (the catch-all captures the rest of the path), and every
// API call paid for two. A path the mux would first clean and redirect still goes to the mux.
func apiPath(r *http.Request) bool {
	p := r.URL.Path
	return r.Method != http.MethodConnect && strings.HasPrefix(p, apiPrefix) && path.Clean(p) == p
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

// MetricsOnly serves h at /metrics and nothing else, for a listener of its own.
func MetricsOnly(h http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", h)
	return securityHeaders(strictPolicy, mux)
}
