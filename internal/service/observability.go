package service

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	core "github.com/telemetryflow/core"
	"github.com/telemetryflow/core/internal/platform/contract"
	"github.com/telemetryflow/core/internal/platform/httpobs"
	"github.com/telemetryflow/core/internal/platform/httpserver"
	"github.com/telemetryflow/core/internal/platform/metrics"
	"github.com/telemetryflow/core/internal/platform/sqldb"
	"github.com/telemetryflow/core/internal/platform/telemetry"
	"github.com/telemetryflow/core/internal/platform/version"
	"github.com/telemetryflow/core/oas"
)

// observability is the wiring of metrics, tracing and the access log, kept out of New so each
// area's wiring stays a small, separate block.
type observability struct {
	registry *prometheus.Registry
	http     *metrics.HTTP
	log      *slog.Logger
}

// newObservability creates the process's one registry (unless the caller brought it) with the
// runtime, process, build and connection-pool collectors and the HTTP RED metrics.
func newObservability(reg *prometheus.Registry, db *sqldb.DB, log *slog.Logger) (*observability, error) {
	if reg == nil {
		reg = metrics.NewRegistry(version.Version)
	}
	if err := metrics.RegisterDB(reg, db.SQL, "telemetryflow"); err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	ops, err := contract.Parse(core.OpenAPI)
	if err != nil {
		return nil, err
	}
	known := make([]metrics.Route, 0, len(ops))
	for _, op := range ops {
		known = append(known, metrics.Route{Method: strings.ToUpper(op.Method), Template: op.Path, Operation: op.ID})
	}
	m, err := metrics.NewHTTP(reg, known)
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	return &observability{registry: reg, http: m, log: log}, nil
}

// wire completes rt: /metrics, route naming from ogen's router, trace context, the server span,
// RED metrics and the access log around every request, and the readiness checks as metrics.
// ogen is generated without its own OpenTelemetry (.ogen.yml): httpobs is the one instrument.
func (o *observability) wire(rt *httpserver.Routes, api *oas.Server) error {
	rt.Metrics = metrics.Handler(o.registry)
	rt.FindAPIRoute = func(method string, u *url.URL) (httpserver.APIRoute, bool) {
		r, ok := api.FindPath(method, u)
		return httpserver.APIRoute{Name: r.Name(), Operation: r.OperationID(), Template: r.PathPattern()}, ok
	}
	observe := httpobs.Middleware(httpobs.Config{Log: o.log, Metrics: o.http, Quiet: httpobs.DefaultQuiet})
	rt.Wrap = func(h http.Handler) http.Handler { return telemetry.Middleware(observe(h)) }
	return metrics.RegisterDependencies(o.registry, func(ctx context.Context) map[string]metrics.DependencyResult {
		out := map[string]metrics.DependencyResult{}
		for name, r := range rt.Health.Run(ctx) {
			out[name] = metrics.DependencyResult{Err: r.Err, Duration: r.Duration}
		}
		return out
	})
}
