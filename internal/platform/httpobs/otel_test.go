package httpobs_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/telemetryflow/core/internal/platform/httpobs"
	"github.com/telemetryflow/core/internal/platform/reqinfo"
	"github.com/telemetryflow/core/internal/platform/telemetry"
)

// named stands in for server.Routes' route naming, which runs before httpobs: API paths are
// the contract's getUser (ogen's GetUser), /health a plain route.
func named(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := reqinfo.From(r.Context())
		if strings.HasPrefix(r.URL.Path, "/api/") {
			info.OperationName, info.Operation, info.Route = "GetUser", "getUser", "/api/v2/users/{id}"
		} else {
			info.Operation, info.Route = "health", "/health"
		}
		next.ServeHTTP(w, r)
	})
}

func chain(cfg httpobs.Config, h http.HandlerFunc) http.Handler {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return reqinfo.Middleware(named(telemetry.Middleware(httpobs.Middleware(cfg)(h))))
}

// An API operation gets one server span, child of the caller's, with ogen's name and
// attributes and the caller the security handler noted; a plain route gets none. Both are
// measured by the semantic-convention histogram.
func TestServerSpanAndDuration(t *testing.T) {
	spans := tracetest.NewSpanRecorder()
	reader := sdkmetric.NewManualReader()
	h := chain(httpobs.Config{
		TracerProvider: sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans)),
		MeterProvider:  sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader)),
	}, func(w http.ResponseWriter, r *http.Request) {
		telemetry.SetUser(r.Context(), "0198f4d0-0000-7000-8000-000000000001")
		if r.URL.Query().Has("fail") {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	})
	const caller = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	for _, target := range []string{"/api/v2/users/x", "/api/v2/users/x?fail", "/health"} {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("traceparent", caller)
		h.ServeHTTP(httptest.NewRecorder(), req)
	}

	ended := spans.Ended()
	if len(ended) != 2 {
		t.Fatalf("%d spans, want one per API request and none for /health", len(ended))
	}
	for i, s := range ended {
		if s.Name() != "GetUser" || s.SpanKind() != trace.SpanKindServer || !s.Parent().IsRemote() ||
			s.Parent().SpanID().String() != "00f067aa0ba902b7" {
			t.Fatalf("span %s kind %v parent %v", s.Name(), s.SpanKind(), s.Parent())
		}
		status := []int64{200, 503}[i]
		want := map[attribute.Key]attribute.Value{
			"oas.operation":             attribute.StringValue("getUser"),
			"http.request.method":       attribute.StringValue("GET"),
			"http.route":                attribute.StringValue("/api/v2/users/{id}"),
			"http.response.status_code": attribute.Int64Value(status),
			"enduser.id":                attribute.StringValue("0198f4d0-0000-7000-8000-000000000001"),
		}
		got := map[attribute.Key]attribute.Value{}
		for _, kv := range s.Attributes() {
			got[kv.Key] = kv.Value
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("span %d: %s = %v, want %v (all: %v)", i, k, got[k].Emit(), v.Emit(), s.Attributes())
			}
		}
		if wantCode := []codes.Code{codes.Unset, codes.Error}[i]; s.Status().Code != wantCode {
			t.Errorf("span %d: status %v, want %v", i, s.Status(), wantCode)
		}
	}

	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	counts := map[string]uint64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != "http.server.request.duration" {
				continue
			}
			if m.Unit != "s" {
				t.Errorf("unit %q", m.Unit)
			}
			for _, dp := range m.Data.(metricdata.Histogram[float64]).DataPoints {
				route, _ := dp.Attributes.Value("http.route")
				code, _ := dp.Attributes.Value("http.response.status_code")
				method, _ := dp.Attributes.Value("http.request.method")
				if method.AsString() != "GET" {
					t.Errorf("method %v", method.Emit())
				}
				counts[route.AsString()+" "+code.Emit()] += dp.Count
			}
		}
	}
	want := map[string]uint64{"/api/v2/users/{id} 200": 1, "/api/v2/users/{id} 503": 1, "/health 200": 1}
	if len(counts) != len(want) {
		t.Fatalf("http.server.request.duration points %v, want %v", counts, want)
	}
	for k, n := range want {
		if counts[k] != n {
			t.Fatalf("http.server.request.duration points %v, want %v", counts, want)
		}
	}
}

// Without an exporter serve samples nothing and its meter is a no-op: the server span must then
// cost only the span itself, the context and the request carrying it, and no attribute is built.
func TestUnsampledSpanBuildsNoAttributes(t *testing.T) {
	h := chain(httpobs.Config{
		Log:            slog.New(slog.NewJSONHandler(io.Discard, nil)),
		TracerProvider: sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.NeverSample())),
		MeterProvider:  sdkmetric.NewMeterProvider(), // no reader: every instrument is disabled
	}, func(w http.ResponseWriter, r *http.Request) {
		telemetry.SetUser(r.Context(), "0198f4d0-0000-7000-8000-000000000001")
	})
	allocs := func(target string) float64 {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		w := httptest.NewRecorder()
		return testing.AllocsPerRun(200, func() { h.ServeHTTP(w, req) })
	}
	plain, api := allocs("/health"), allocs("/api/v2/users/x")
	if api-plain > 3 {
		t.Fatalf("an unsampled server span costs %v allocations, want at most 3 (span, context, request)", api-plain)
	}
}
