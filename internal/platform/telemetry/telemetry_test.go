package telemetry_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/telemetryflow/core/internal/platform/logging"
	"github.com/telemetryflow/core/internal/platform/reqinfo"
	"github.com/telemetryflow/core/internal/platform/telemetry"
	"github.com/telemetryflow/core/internal/testutil/otlptest"
)

// clearOTEL makes the test independent of the developer's environment.
func clearOTEL(t *testing.T) {
	for _, k := range []string{"OTEL_SDK_DISABLED", "OTEL_TRACES_EXPORTER", "OTEL_METRICS_EXPORTER",
		"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
		"OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL",
		"OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES", "OTEL_TRACES_SAMPLER"} {
		t.Setenv(k, "")
	}
}

func TestExporterSelection(t *testing.T) {
	cases := []struct {
		name                      string
		env                       map[string]string
		traces, metrics           string
		tracesProto, metricsProto string
		err                       string
	}{
		{name: "nothing set exports nothing", traces: "none", metrics: "none"},
		{name: "an endpoint enables both over http/protobuf", env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"},
			traces: "otlp", metrics: "otlp", tracesProto: "http/protobuf", metricsProto: "http/protobuf"},
		{name: "a traces endpoint enables traces only", env: map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:4318/v1/traces"},
			traces: "otlp", metrics: "none", tracesProto: "http/protobuf"},
		{name: "explicit exporter without endpoint", env: map[string]string{"OTEL_TRACES_EXPORTER": "otlp"}, traces: "otlp", metrics: "none", tracesProto: "http/protobuf"},
		{name: "none wins over an endpoint", env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_METRICS_EXPORTER": "none"},
			traces: "otlp", metrics: "none", tracesProto: "http/protobuf"},
		{name: "sdk disabled", env: map[string]string{"OTEL_SDK_DISABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}, traces: "none", metrics: "none"},
		{name: "grpc for both", env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4317", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"},
			traces: "otlp", metrics: "otlp", tracesProto: "grpc", metricsProto: "grpc"},
		{name: "grpc without an endpoint uses the exporter's default", env: map[string]string{"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"},
			traces: "otlp", metrics: "none", tracesProto: "grpc"},
		{name: "the per-signal protocol wins", env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4317",
			"OTEL_EXPORTER_OTLP_PROTOCOL": "grpc", "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL": "http/protobuf"},
			traces: "otlp", metrics: "otlp", tracesProto: "grpc", metricsProto: "http/protobuf"},
		{name: "a per-signal grpc over the default", env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4317",
			"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "grpc"},
			traces: "otlp", metrics: "otlp", tracesProto: "grpc", metricsProto: "http/protobuf"},
		{name: "http/json is refused with the alternatives", env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"},
			err: `OTEL_EXPORTER_OTLP_PROTOCOL="http/json" (traces): OTLP/HTTP with JSON is not built in; use grpc (collector port 4317) or http/protobuf (port 4318)`},
		{name: "the failing per-signal variable is named", env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL": "http/json"},
			err: `OTEL_EXPORTER_OTLP_METRICS_PROTOCOL="http/json" (metrics)`},
		{name: "an unknown protocol is refused", env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_EXPORTER_OTLP_PROTOCOL": "thrift"},
			err: `OTEL_EXPORTER_OTLP_PROTOCOL="thrift" (traces): unknown protocol; use grpc or http/protobuf`},
		{name: "unknown exporter is refused", env: map[string]string{"OTEL_TRACES_EXPORTER": "zipkin"}, err: `OTEL_TRACES_EXPORTER="zipkin"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			clearOTEL(t)
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			tel, err := telemetry.New(context.Background(), telemetry.Config{})
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("got %v, want an error containing %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			// Nothing listens on the endpoints: a cancelled context skips the final export
			// that would otherwise retry for the exporter's timeout.
			done, cancel := context.WithCancel(context.Background())
			cancel()
			defer tel.Shutdown(done)
			if tel.TracesExporter != c.traces || tel.MetricsExporter != c.metrics ||
				tel.TracesProtocol != c.tracesProto || tel.MetricsProtocol != c.metricsProto {
				t.Fatalf("traces %s/%s metrics %s/%s, want %s/%s %s/%s", tel.TracesExporter, tel.TracesProtocol,
					tel.MetricsExporter, tel.MetricsProtocol, c.traces, c.tracesProto, c.metrics, c.metricsProto)
			}
		})
	}
}

// Spans and metrics reach a real OTLP receiver over each protocol, with the service's
// resource, and Shutdown flushes what the batcher and the periodic reader still held.
func TestOTLPExportReachesReceiver(t *testing.T) {
	for _, c := range []struct {
		name  string
		start func(testing.TB) *otlptest.Receiver
	}{{"grpc", otlptest.StartGRPC}, {"http/protobuf", otlptest.StartHTTP}} {
		t.Run(c.name, func(t *testing.T) {
			clearOTEL(t)
			recv := c.start(t)
			t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", recv.Endpoint)
			if c.name == "grpc" {
				t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
			}
			t.Setenv("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=test")

			tel, err := telemetry.New(context.Background(), telemetry.Config{ServiceVersion: "1.2.3"})
			if err != nil {
				t.Fatal(err)
			}
			if tel.TracesProtocol != c.name || tel.MetricsProtocol != c.name {
				t.Fatalf("protocols %s %s", tel.TracesProtocol, tel.MetricsProtocol)
			}
			_, span := tel.TracerProvider.Tracer("test").Start(context.Background(), "exported-span")
			span.End()
			counter, err := tel.MeterProvider.Meter("test").Int64Counter("test.exported_total")
			if err != nil {
				t.Fatal(err)
			}
			counter.Add(context.Background(), 3)
			if err := tel.Shutdown(context.Background()); err != nil {
				t.Fatal(err)
			}

			spans := recv.Spans()
			if len(spans) != 1 || spans[0].Name != "exported-span" {
				t.Fatalf("spans %+v", spans)
			}
			res := spans[0].Resource
			if res["service.name"] != telemetry.DefaultServiceName || res["service.version"] != "1.2.3" || res["deployment.environment.name"] != "test" {
				t.Fatalf("resource %v", res)
			}
			var names []string
			for _, m := range recv.Metrics() {
				names = append(names, m.Name)
				if m.Name == "test.exported_total" && m.Resource["service.name"] == telemetry.DefaultServiceName {
					return
				}
			}
			t.Fatalf("metric test.exported_total not received; got %v", names)
		})
	}
}

func TestMiddlewareContinuesCallerTraceOrStartsOne(t *testing.T) {
	clearOTEL(t)
	tel, err := telemetry.New(context.Background(), telemetry.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer tel.Shutdown(context.Background())
	var buf bytes.Buffer
	log := logging.New(&buf, "info", "json")
	var seen, rootTrace string
	inner := telemetry.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = telemetry.TraceID(r.Context())
		log.InfoContext(r.Context(), "outside any span")
		ctx, span := tel.TracerProvider.Tracer("test").Start(r.Context(), "server")
		rootTrace = span.SpanContext().TraceID().String()
		log.InfoContext(ctx, "inside the span")
		span.End()
	}))
	h := reqinfo.Middleware(inner)

	t.Run("caller's traceparent", func(t *testing.T) {
		buf.Reset()
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
		h.ServeHTTP(httptest.NewRecorder(), req)
		if seen != "4bf92f3577b34da6a3ce929d0e0e4736" || rootTrace != seen {
			t.Fatalf("trace id %q, span's %q", seen, rootTrace)
		}
		lines := records(t, &buf)
		if lines[0]["trace_id"] != seen || lines[0]["span_id"] != nil {
			t.Fatalf("outside the span the caller's span id is not ours to log: %v", lines[0])
		}
		if lines[1]["trace_id"] != seen || lines[1]["span_id"] == nil || lines[1]["span_id"] == "00f067aa0ba902b7" {
			t.Fatalf("inside the span: %v", lines[1])
		}
	})
	// The chosen id lives in the request's reqinfo.Info, or in the context without one.
	for _, c := range []struct {
		name    string
		h       http.Handler
		reqinfo bool
	}{{"no traceparent", h, true}, {"no traceparent, no reqinfo", inner, false}} {
		t.Run(c.name, func(t *testing.T) {
			h := c.h
			buf.Reset()
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
			if len(seen) != 32 || rootTrace != seen {
				t.Fatalf("chosen trace id %q, root span's %q: they must agree", seen, rootTrace)
			}
			for _, l := range records(t, &buf) {
				if l["trace_id"] != seen || c.reqinfo != (l["request_id"] != nil) {
					t.Fatalf("record %v lacks the trace id, or the request id is not as expected", l)
				}
			}
		})
	}
}

// Choosing a request's trace id costs no context and no copy of the request.
func TestMiddlewareChoosesATraceIDWithoutAllocating(t *testing.T) {
	clearOTEL(t)
	h := telemetry.Middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req = req.WithContext(reqinfo.With(req.Context(), &reqinfo.Info{}))
	if n := testing.AllocsPerRun(100, func() { h.ServeHTTP(nil, req) }); n != 0 {
		t.Fatalf("%v allocations", n)
	}
	if telemetry.TraceID(req.Context()) == "" {
		t.Fatal("no trace id chosen")
	}
}

func records(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		out = append(out, m)
	}
	if len(out) != 2 {
		t.Fatalf("want 2 records, got %d", len(out))
	}
	return out
}

// serve without an exporter samples nothing: naming the caller on such a span must cost nothing.
func TestSetUserOnAnUnsampledSpanAllocatesNothing(t *testing.T) {
	clearOTEL(t)
	tel, err := telemetry.New(context.Background(), telemetry.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer tel.Shutdown(context.Background())
	ctx, span := tel.TracerProvider.Tracer("test").Start(context.Background(), "server")
	defer span.End()
	if n := testing.AllocsPerRun(100, func() { telemetry.SetUser(ctx, "0198f4d0-0000-7000-8000-000000000001") }); n != 0 {
		t.Fatalf("%v allocations", n)
	}
}
