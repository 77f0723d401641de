package httpobs

import (
	"net/http"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.39.0"
	"go.opentelemetry.io/otel/semconv/v1.39.0/httpconv"
	"go.opentelemetry.io/otel/trace"

	"github.com/telemetryflow/core/internal/platform/metrics"
	"github.com/telemetryflow/core/internal/platform/reqinfo"
)

const scope = "github.com/telemetryflow/core/internal/platform/httpobs"

// serverKind is built once: a variadic option list made per request would be an allocation
// even when nothing is sampled.
var serverKind = []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindServer)}

// otelServer is the OpenTelemetry side of a request: the server span of a contract operation
// and the semantic-convention duration histogram. Without an exporter (serve's default) the span
// is never sampled and the meter is a no-op, so both cost only what cannot be avoided: the span
// (for its ids) and the request carrying it.
type otelServer struct {
	tracer   trace.Tracer
	duration httpconv.ServerRequestDuration
}

func newOtelServer(tp trace.TracerProvider, mp metric.MeterProvider) otelServer {
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	if mp == nil {
		mp = otel.GetMeterProvider()
	}
	duration, err := httpconv.NewServerRequestDuration(mp.Meter(scope),
		// The boundaries the semantic conventions advise for this histogram.
		metric.WithExplicitBucketBoundaries(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10))
	if err != nil {
		otel.Handle(err) // a fixed, valid name: only a broken provider gets here; the instrument is then a no-op
	}
	return otelServer{tracer: tp.Tracer(scope), duration: duration}
}

// start opens the server span of a contract operation, child of the caller's trace that
// telemetry.Middleware extracted. Plain routes (health, metrics, console, docs) and unmatched
// paths get none: they are not operations of the API.
func (o otelServer) start(r *http.Request, info *reqinfo.Info) (*http.Request, trace.Span) {
	if info.OperationName == "" {
		return r, nil
	}
	ctx, span := o.tracer.Start(r.Context(), info.OperationName, serverKind...)
	return r.WithContext(ctx), span
}

// end completes the span and records the duration. Attributes are built only for a span or an
// instrument that will keep them.
// r is the request as served, so that a sampled measurement's exemplar names the span.
func (o otelServer) end(r *http.Request, span trace.Span, route metrics.Route, code int, took time.Duration) {
	if span != nil {
		if span.IsRecording() {
			span.SetAttributes(
				attribute.String("oas.operation", route.Operation),
				semconv.HTTPRequestMethodKey.String(route.Method),
				semconv.HTTPRoute(route.Template),
				semconv.HTTPResponseStatusCode(code),
			)
			// Semantic conventions: a server span is an error only for 5xx; 4xx is the
			// client's mistake.
			if code >= 500 {
				span.SetStatus(codes.Error, http.StatusText(code))
			}
		}
		span.End()
	}
	if ctx := r.Context(); o.duration.Enabled(ctx) {
		o.duration.Record(ctx, took.Seconds(), semMethod(route.Method), scheme(r),
			o.duration.AttrRoute(route.Template), o.duration.AttrResponseStatusCode(code))
	}
}

// semMethod is the method as the semantic conventions spell the one bucket of non-standard
// methods.
func semMethod(m string) httpconv.RequestMethodAttr {
	if m == other {
		return httpconv.RequestMethodOther
	}
	return httpconv.RequestMethodAttr(m)
}

// scheme is what this server was asked over; a TLS-terminating proxy in front makes it http.
func scheme(r *http.Request) string {
	if r.TLS != nil {
		return "https"
	}
	return "http"
}
