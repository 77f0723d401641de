package httpobs_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/telemetryflow/core/internal/platform/httpobs"
	"github.com/telemetryflow/core/internal/platform/logging"
	"github.com/telemetryflow/core/internal/platform/metrics"
	"github.com/telemetryflow/core/internal/platform/reqinfo"
	"github.com/telemetryflow/core/internal/platform/telemetry"
)

var ok = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	info := reqinfo.From(r.Context())
	info.Operation, info.Route = "getUser", "/api/v2/users/{id}"
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(`{"id":"x"}`))
})

func serve(b *testing.B, h http.Handler) {
	req := httptest.NewRequest(http.MethodGet, "/api/v2/users/0198f4d0-0000-7000-8000-000000000001", nil)
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
}

// The baseline: request id only, as before observability.
func BenchmarkBaseline(b *testing.B) { serve(b, reqinfo.Middleware(ok)) }

// Trace context, RED metrics and a JSON access line per request: what every request now pays
// on top of the baseline (the SQL spans come on top when a collector is configured).
func BenchmarkObserved(b *testing.B) {
	m, err := metrics.NewHTTP(prometheus.NewRegistry(), nil)
	if err != nil {
		b.Fatal(err)
	}
	log := logging.New(io.Discard, "info", "json")
	h := reqinfo.Middleware(telemetry.Middleware(httpobs.Middleware(httpobs.Config{Log: log, Metrics: m})(ok)))
	serve(b, h)
}

// BenchmarkObservedOperation adds a contract operation's server span as serve has it without an
// exporter: never sampled, with a no-op meter.
func BenchmarkObservedOperation(b *testing.B) {
	m, err := metrics.NewHTTP(prometheus.NewRegistry(), nil)
	if err != nil {
		b.Fatal(err)
	}
	log := logging.New(io.Discard, "info", "json")
	h := reqinfo.Middleware(named(telemetry.Middleware(httpobs.Middleware(httpobs.Config{Log: log, Metrics: m,
		TracerProvider: sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.NeverSample())),
		MeterProvider:  metricnoop.NewMeterProvider()})(ok))))
	serve(b, h)
}
