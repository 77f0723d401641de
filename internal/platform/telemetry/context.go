package telemetry

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/telemetryflow/core/internal/platform/logging"
	"github.com/telemetryflow/core/internal/platform/reqinfo"
)

// Middleware continues the caller's trace (W3C traceparent/tracestate and baggage). A request
// that arrives without one gets its trace id chosen here, before any span exists, so the access
// log written around the handler names the same trace as the server span the handler starts.
func Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := Propagator.Extract(r.Context(), headerCarrier(r.Header))
		if !trace.SpanContextFromContext(ctx).IsValid() {
			// In the request's Info when there is one: a new context and a copy of the
			// request for it cost two allocations on every request without a traceparent.
			if info, ok := reqinfo.Lookup(ctx); ok {
				info.TraceID = newTraceID()
			} else {
				ctx = context.WithValue(ctx, traceIDKey{}, newTraceID())
			}
		}
		if ctx != r.Context() {
			r = r.WithContext(ctx)
		}
		next.ServeHTTP(w, r)
	})
}

type traceIDKey struct{}

// headerCarrier is propagation.HeaderCarrier that looks the propagators' lower-case names up
// in net/http's canonical form without building it (a copy of each name, on every request).
type headerCarrier http.Header

func canonicalName(key string) string {
	switch key {
	case "traceparent":
		return "Traceparent"
	case "tracestate":
		return "Tracestate"
	case "baggage":
		return "Baggage"
	}
	return http.CanonicalHeaderKey(key)
}

func (h headerCarrier) Get(key string) string {
	if v := h[canonicalName(key)]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func (h headerCarrier) Values(key string) []string { return h[canonicalName(key)] }

func (h headerCarrier) Set(key, value string) { http.Header(h).Set(key, value) }

func (h headerCarrier) Keys() []string { return propagation.HeaderCarrier(h).Keys() }

// chosenTraceID is the trace id Middleware chose for the request ctx belongs to, if it did.
func chosenTraceID(ctx context.Context) (trace.TraceID, bool) {
	if info, ok := reqinfo.Lookup(ctx); ok && trace.TraceID(info.TraceID).IsValid() {
		return info.TraceID, true
	}
	id, ok := ctx.Value(traceIDKey{}).(trace.TraceID)
	return id, ok && id.IsValid()
}

// TraceID is the request's trace id in hex: the current span's, else the one Middleware chose;
// empty outside a request.
func TraceID(ctx context.Context) string {
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		return sc.TraceID().String()
	}
	if id, ok := chosenTraceID(ctx); ok {
		return id.String()
	}
	return ""
}

// idGenerator gives a root span the trace id Middleware chose for its request.
type idGenerator struct{}

func (idGenerator) NewIDs(ctx context.Context) (trace.TraceID, trace.SpanID) {
	if id, ok := chosenTraceID(ctx); ok {
		return id, newSpanID()
	}
	return newTraceID(), newSpanID()
}

func (idGenerator) NewSpanID(context.Context, trace.TraceID) trace.SpanID { return newSpanID() }

func newTraceID() trace.TraceID {
	var id trace.TraceID
	for !id.IsValid() {
		_, _ = rand.Read(id[:]) // never fails: since Go 1.24 crypto/rand crashes instead
	}
	return id
}

func newSpanID() trace.SpanID {
	var id trace.SpanID
	for !id.IsValid() {
		_, _ = rand.Read(id[:])
	}
	return id
}

// init registers the log enricher: logging reads its enrichers without a lock, so they must
// be in place before any goroutine logs, and every binary that wires telemetry wants them.
func init() {
	logging.AddEnricher(enrichLog)
}

// enrichLog adds trace_id (and span_id inside a span) to every record logged with a request
// context.
func enrichLog(ctx context.Context, r *slog.Record) {
	// A remote span context is the caller's span: its id is not one of ours to name.
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() && !sc.IsRemote() {
		r.AddAttrs(slog.String("trace_id", sc.TraceID().String()), slog.String("span_id", sc.SpanID().String()))
		return
	}
	if id := TraceID(ctx); id != "" {
		r.AddAttrs(slog.String("trace_id", id))
	}
}

// SetUser tags the current span with the authenticated caller. An unsampled span is not given
// the attribute: building it would be an allocation per request for nothing.
func SetUser(ctx context.Context, userID string) {
	if span := trace.SpanFromContext(ctx); span.IsRecording() {
		span.SetAttributes(attribute.String("enduser.id", userID))
	}
}
