package main

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/telemetryflow/core/internal/platform/config"
	"github.com/telemetryflow/core/internal/platform/logging"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/internal/testutil/otlptest"
)

// The binary's serve path, configured only through the standard variables, exports its traces
// and metrics over OTLP/gRPC (the collector's port 4317 in the architecture) to a real gRPC
// receiver: the server span of a login with its SQL and password spans, and the HTTP server's
// (semantic conventions) and the SQL driver's metrics, all under the service's resource.
//
// Not parallel: the OTLP exporters read the process environment, and serve installs the
// process-wide providers.
func TestServeExportsOverOTLPgRPC(t *testing.T) {
	recv := otlptest.StartGRPC(t)
	for _, k := range []string{"OTEL_SDK_DISABLED", "OTEL_TRACES_EXPORTER", "OTEL_METRICS_EXPORTER",
		"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
		"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL",
		"OTEL_SERVICE_NAME", "OTEL_TRACES_SAMPLER", "OTEL_EXPORTER_OTLP_HEADERS"} {
		t.Setenv(k, "")
	}
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", recv.Endpoint)
	t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
	t.Setenv("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=otlp-test")

	env := map[string]string{
		"TF_HTTP_ADDR": "127.0.0.1:0", "TF_DATABASE_URL": dbtest.URL(t, dialect.SQLite), "TF_DATA_DIR": t.TempDir(),
		"TF_BOOTSTRAP_ADMIN_EMAIL": "admin@example.com", "TF_BOOTSTRAP_ADMIN_PASSWORD": "bootstrap-password-for-tests",
		"TF_ARGON2_MEMORY_KIB": "8192", "TF_ARGON2_ITERATIONS": "1", "TF_LOG_LEVEL": "info",
	}
	cfg, err := config.Load(nil, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	logs := &listenWatcher{addr: make(chan string, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, logging.New(logs, "info", "json"), logs) }()
	var base string
	select {
	case addr := <-logs.addr:
		base = "http://" + addr
	case err := <-done:
		cancel()
		t.Fatalf("serve stopped before listening: %v", err)
	}

	resp, err := http.Post(base+"/api/v2/auth/login", "application/json",
		strings.NewReader(`{"email":"admin@example.com","password":"bootstrap-password-for-tests"}`))
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		cancel()
		t.Fatalf("login: %d", resp.StatusCode)
	}
	// serve flushes the exporters on its way out: after it returns, everything has arrived.
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}

	spans := recv.Spans()
	var names []string
	for _, s := range spans {
		names = append(names, s.Name)
		if s.Resource["service.name"] != "telemetryflow-core" || s.Resource["deployment.environment.name"] != "otlp-test" {
			t.Fatalf("span %s has resource %v", s.Name, s.Resource)
		}
	}
	for _, want := range []string{"Login", "password.Verify", "sql.conn.query"} {
		if !slices.Contains(names, want) {
			t.Errorf("no %q span received over gRPC; got %v", want, names)
		}
	}
	for _, s := range spans {
		if s.Name == "Login" && (s.Attributes["http.route"] != "/api/v2/auth/login" || s.Attributes["http.response.status_code"] != "200") {
			t.Errorf("Login span attributes %v", s.Attributes)
		}
	}

	metrics := map[string]bool{}
	for _, m := range recv.Metrics() {
		if m.Resource["service.name"] != "telemetryflow-core" {
			t.Fatalf("metric %s has resource %v", m.Name, m.Resource)
		}
		metrics[m.Name] = true
	}
	for _, want := range []string{"http.server.request.duration", "db.client.operation.duration"} {
		if !metrics[want] {
			t.Errorf("metric %s not received over gRPC; got %v", want, metrics)
		}
	}
}

// listenWatcher is serve's log destination: it passes the "listening" line's address on.
type listenWatcher struct {
	addr chan string
}

func (w *listenWatcher) Write(p []byte) (int, error) {
	var rec struct {
		Msg  string `json:"msg"`
		Addr string `json:"addr"`
	}
	if json.Unmarshal(p, &rec) == nil && rec.Msg == "listening" {
		select {
		case w.addr <- rec.Addr:
		default:
		}
	}
	return len(p), nil
}
