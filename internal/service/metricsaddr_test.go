package service_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/telemetryflow/core/internal/platform/config"
	"github.com/telemetryflow/core/internal/service"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// By default /metrics is on the API port.
func TestMetricsOnTheAPIPortByDefault(t *testing.T) {
	t.Parallel()
	srv := apitest.Start(t, dialect.SQLite)
	if st, body := get(t, srv.URL+"/metrics"); st != http.StatusOK || !strings.Contains(body, "go_goroutines") {
		t.Fatalf("/metrics on the API port: %d", st)
	}
}

// With TF_METRICS_ADDR, /metrics is served on its own listener and the API port answers 404.
func TestMetricsOnTheirOwnListener(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"TF_DATABASE_URL": dbtest.URL(t, dialect.SQLite), "TF_DATA_DIR": t.TempDir(),
		"TF_HTTP_ADDR": "127.0.0.1:0", "TF_METRICS_ADDR": "127.0.0.1:0",
		"TF_BOOTSTRAP_ADMIN_EMAIL": apitest.AdminEmail, "TF_BOOTSTRAP_ADMIN_PASSWORD": apitest.AdminPassword,
		"TF_ARGON2_MEMORY_KIB": "8192", "TF_ARGON2_ITERATIONS": "1",
	}
	cfg, err := config.Load(nil, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	metricsAddr := make(chan net.Addr, 1)
	svc, err := service.New(context.Background(), cfg, service.Options{Log: slog.New(slog.DiscardHandler),
		MetricsListening: func(a net.Addr) { metricsAddr <- a }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = svc.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	apiAddr, done := make(chan net.Addr, 1), make(chan error, 1)
	go func() { done <- svc.Run(ctx, func(a net.Addr) { apiAddr <- a }) }()
	api := "http://" + (<-apiAddr).String()
	var metrics string
	select { // a guard against a hang, not a timing assertion
	case a := <-metricsAddr:
		metrics = "http://" + a.String()
	case <-time.After(time.Minute):
		t.Fatal("the metrics listener never opened")
	}

	if st, body := get(t, metrics+"/metrics"); st != http.StatusOK || !strings.Contains(body, "go_goroutines") {
		t.Errorf("/metrics on the metrics listener: %d", st)
	}
	if st, body := get(t, api+"/metrics"); st != http.StatusNotFound || !strings.Contains(body, "route_not_found") {
		t.Errorf("/metrics on the API port: %d %s", st, body)
	}
	if st, _ := get(t, metrics+"/health/live"); st != http.StatusNotFound {
		t.Errorf("the metrics listener serves more than /metrics: %d", st)
	}
	if st, _ := get(t, api+"/health/live"); st != http.StatusOK {
		t.Errorf("API port: /health/live %d", st)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
}
