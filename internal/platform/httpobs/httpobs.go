// Package httpobs observes every HTTP request once: it measures status, size and duration,
// feeds the RED metrics and writes one access-log line, and it opens the server span of every
// contract operation and records OpenTelemetry's http.server.request.duration. It reads the
// route template and operation that server.Routes recorded in reqinfo, never the raw path, so
// neither ids nor tokens in a URL reach a label, an attribute or a log line.
package httpobs

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/telemetryflow/core/internal/platform/metrics"
	"github.com/telemetryflow/core/internal/platform/principal"
	"github.com/telemetryflow/core/internal/platform/reqinfo"
	"github.com/telemetryflow/core/internal/platform/telemetry"
)

// Config names the sinks; Metrics may be nil.
type Config struct {
	Log     *slog.Logger
	Metrics *metrics.HTTP
	// Quiet lists operations logged at debug level instead of info: probes and scrapes would
	// otherwise drown the log.
	Quiet map[string]bool
	// TracerProvider and MeterProvider default to the process-wide ones (telemetry.Install).
	TracerProvider trace.TracerProvider
	MeterProvider  metric.MeterProvider
}

// DefaultQuiet is the probe and scrape traffic.
var DefaultQuiet = map[string]bool{"health": true, "healthLive": true, "healthReady": true, "metrics": true}

// Middleware measures each request and reports it when the response is complete.
func Middleware(cfg Config) func(http.Handler) http.Handler {
	ot := newOtelServer(cfg.TracerProvider, cfg.MeterProvider)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var done func(metrics.Route, int, time.Duration)
			if cfg.Metrics != nil {
				done = cfg.Metrics.Start()
			}
			start := time.Now()
			info := reqinfo.From(r.Context())
			served, span := ot.start(r, info)
			rec := &recorder{ResponseWriter: w, code: http.StatusOK}
			next.ServeHTTP(rec, served)
			m := observed{Code: rec.code, Duration: time.Since(start), Written: rec.written}
			route := metrics.Route{Method: method(r.Method), Template: info.Route, Operation: info.Operation}
			ot.end(served, span, route, m.Code, m.Duration)
			if done != nil {
				done(route, m.Code, m.Duration)
			}
			// Logged outside the span: the line names the trace already, and the span id
			// would be one more string formatted per request.
			cfg.access(r.Context(), route, info, m)
		})
	}
}

func (cfg Config) access(ctx context.Context, route metrics.Route, info *reqinfo.Info, m observed) {
	level := slog.LevelInfo
	switch {
	case m.Code >= 500:
		level = slog.LevelWarn
	case cfg.Quiet[route.Operation]:
		level = slog.LevelDebug
	}
	if !cfg.Log.Enabled(ctx, level) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", route.Method),
		slog.String("route", route.Template),
		slog.String("operation", route.Operation),
		slog.Int("status", m.Code),
		slog.Float64("duration_ms", float64(m.Duration.Microseconds())/1000),
		slog.Int64("bytes", m.Written),
	}
	// The logging handler adds user_id from the principal in the context, but that context
	// lives inside the API handler; the access log only sees what the request left in reqinfo.
	if info.UserID != "" {
		attrs = append(attrs, slog.String("user_id", info.UserID))
	}
	cfg.Log.LogAttrs(ctx, level, "request", attrs...)
}

// other is the method label of every non-standard method.
const other = "OTHER"

// method bounds the method label: anything non-standard becomes OTHER.
func method(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return other
}

// NoteCaller records the authenticated caller where the access log and the server span will
// find it. The security handler calls it right after authentication, so a request denied
// afterwards still names its caller.
func NoteCaller(ctx context.Context, p *principal.Principal) {
	id := p.UserID.String()
	reqinfo.From(ctx).UserID = id
	telemetry.SetUser(ctx, id)
}
