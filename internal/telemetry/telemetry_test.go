package telemetry_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	collectortrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/telemetryflow/core/internal/logging"
	"github.com/telemetryflow/core/internal/reqinfo"
	"github.com/telemetryflow/core/internal/telemetry"
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
		name            string
		env             map[string]string
		traces, metrics string
		err             string
	}{
		{name: "nothing set exports nothing", traces: "none", metrics: "none"},
		{name: "an endpoint enables both", env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}, traces: "otlp", metrics: "otlp"},
		{name: "a traces endpoint enables traces only", env: map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:4318/v1/traces"}, traces: "otlp", metrics: "none"},
		{name: "explicit exporter without endpoint", env: map[string]string{"OTEL_TRACES_EXPORTER": "otlp"}, traces: "otlp", metrics: "none"},
		{name: "none wins over an endpoint", env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_METRICS_EXPORTER": "none"}, traces: "otlp", metrics: "none"},
		{name: "sdk disabled", env: map[string]string{"OTEL_SDK_DISABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}, traces: "none", metrics: "none"},
		{name: "grpc is refused with the reason", env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4317", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}, err: "only http/protobuf"},
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
			defer tel.Shutdown(context.Background())
			if tel.TracesExporter != c.traces || tel.MetricsExporter != c.metrics {
				t.Fatalf("traces %s metrics %s, want %s %s", tel.TracesExporter, tel.MetricsExporter, c.traces, c.metrics)
			}
		})
	}
}

// An OTLP/HTTP export reaches a receiver, with the service's resource, and Shutdown flushes
// what the batcher still held.
func TestOTLPHTTPExportReachesReceiver(t *testing.T) {
	clearOTEL(t)
	var (
		mu   sync.Mutex
		got  []*collectortrace.ExportTraceServiceRequest
		path string
	)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var req collectortrace.ExportTraceServiceRequest
		if err := proto.Unmarshal(body, &req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		got, path = append(got, &req), r.URL.Path
		mu.Unlock()
		w.Header().Set("Content-Type", "application/x-protobuf")
		out, _ := proto.Marshal(&collectortrace.ExportTraceServiceResponse{})
		_, _ = w.Write(out)
	}))
	defer recv.Close()
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", recv.URL)
	t.Setenv("OTEL_METRICS_EXPORTER", "none")
	t.Setenv("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=test")

	tel, err := telemetry.New(context.Background(), telemetry.Config{ServiceVersion: "1.2.3"})
	if err != nil {
		t.Fatal(err)
	}
	_, span := tel.TracerProvider.Tracer("test").Start(context.Background(), "exported-span")
	span.End()
	if err := tel.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}

	mu.Lock()
	defer mu.Unlock()
	if path != "/v1/traces" || len(got) == 0 {
		t.Fatalf("receiver got %d requests on %q", len(got), path)
	}
	rs := got[0].ResourceSpans[0]
	attrs := map[string]string{}
	for _, kv := range rs.Resource.Attributes {
		attrs[kv.Key] = kv.Value.GetStringValue()
	}
	if attrs["service.name"] != telemetry.DefaultServiceName || attrs["service.version"] != "1.2.3" || attrs["deployment.environment.name"] != "test" {
		t.Fatalf("resource %v", attrs)
	}
	if name := rs.ScopeSpans[0].Spans[0].Name; name != "exported-span" {
		t.Fatalf("span %q", name)
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
	h := reqinfo.Middleware(telemetry.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = telemetry.TraceID(r.Context())
		log.InfoContext(r.Context(), "outside any span")
		ctx, span := tel.TracerProvider.Tracer("test").Start(r.Context(), "server")
		rootTrace = span.SpanContext().TraceID().String()
		log.InfoContext(ctx, "inside the span")
		span.End()
	})))

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
	t.Run("no traceparent", func(t *testing.T) {
		buf.Reset()
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
		if len(seen) != 32 || rootTrace != seen {
			t.Fatalf("chosen trace id %q, root span's %q: they must agree", seen, rootTrace)
		}
		for _, l := range records(t, &buf) {
			if l["trace_id"] != seen || l["request_id"] == nil {
				t.Fatalf("record %v lacks the trace or request id", l)
			}
		}
	})
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
