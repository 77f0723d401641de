package service_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"entgo.io/ent/dialect"
	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/telemetryflow/core/internal/platform/sqldb"
	"github.com/telemetryflow/core/internal/testutil/apitest"
)

// sample returns the value of the counter or histogram count with exactly these label values.
func sample(t *testing.T, reg *prometheus.Registry, name string, labels map[string]string) (float64, bool) {
	t.Helper()
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
	next:
		for _, m := range f.GetMetric() {
			for k, v := range labels {
				if label(m, k) != v {
					continue next
				}
			}
			if h := m.GetHistogram(); h != nil {
				return float64(h.GetSampleCount()), true
			}
			if g := m.GetGauge(); g != nil {
				return g.GetValue(), true
			}
			return m.GetCounter().GetValue(), true
		}
	}
	return 0, false
}

func label(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

func TestREDMetricsAreLabelledByRouteTemplate(t *testing.T) {
	t.Parallel()
	srv := apitest.Start(t, dialect.SQLite)
	reg := srv.Service.Registry()
	getUser := map[string]string{"method": "GET", "route": "/api/v2/users/{id}", "operation": "getUser", "code": "401"}
	before, _ := sample(t, reg, "telemetryflow_http_requests_total", getUser)

	var ids []string
	for range 3 {
		id := uuid.NewString()
		ids = append(ids, id)
		srv.Get(t, "/api/v2/users/"+id)
	}
	srv.Get(t, "/api/v2/no/such/"+ids[0])
	srv.Get(t, "/wp-admin/"+ids[1])

	if after, _ := sample(t, reg, "telemetryflow_http_requests_total", getUser); after-before != 3 {
		t.Fatalf("getUser 401 count moved by %v, want 3", after-before)
	}
	delete(getUser, "code")
	if n, _ := sample(t, reg, "telemetryflow_http_request_duration_seconds", getUser); n < 3 {
		t.Fatalf("duration observations %v", n)
	}
	if n, _ := sample(t, reg, "telemetryflow_http_requests_total", map[string]string{"route": "unmatched", "operation": "unmatched", "code": "404"}); n != 2 {
		t.Fatalf("unknown routes: %v requests under \"unmatched\", want 2", n)
	}
	if v, ok := sample(t, reg, "telemetryflow_http_request_errors_total", map[string]string{"operation": "listUsers", "route": "/api/v2/users"}); !ok || v != 0 {
		t.Fatalf("listUsers error series: %v %v; want present at 0", v, ok)
	}
	// No raw path or id ever becomes a label value.
	fams, _ := reg.Gather()
	for _, f := range fams {
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				for _, id := range ids {
					if strings.Contains(l.GetValue(), id) || strings.Contains(l.GetValue(), "no/such") {
						t.Fatalf("%s has label %s=%q", f.GetName(), l.GetName(), l.GetValue())
					}
				}
			}
		}
	}

	resp := srv.Get(t, "/metrics")
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics: %d", resp.StatusCode)
	}
	for _, want := range []string{
		"go_goroutines ", "go_gc_duration_seconds", "process_cpu_seconds_total ", "process_resident_memory_bytes ",
		`go_sql_open_connections{db_name="telemetryflow"}`, `go_sql_wait_count_total{db_name="telemetryflow"}`,
		`telemetryflow_build_info{`, `telemetryflow_http_requests_in_flight `,
		`telemetryflow_dependency_up{dependency="database"} 1`, `telemetryflow_dependency_up{dependency="migrations"} 1`,
		`telemetryflow_http_requests_total{code="401",method="GET",operation="getUser",route="/api/v2/users/{id}"} 3`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// Readiness names a database that is behind the binary's migrations, and liveness ignores it.
func TestReadinessChecksMigrationsAreCurrent(t *testing.T) {
	t.Parallel()
	srv := apitest.Start(t, dialect.SQLite)
	db, err := sqldb.Open(context.Background(), sqldb.Config{URL: srv.Config.Database.URL})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// As if the database had been restored from a backup taken before the last migration.
	if _, err := db.SQL.Exec(`DELETE FROM atlas_schema_revisions WHERE version = (SELECT max(version) FROM atlas_schema_revisions)`); err != nil {
		t.Fatal(err)
	}

	resp := srv.Get(t, "/health/ready")
	var body struct {
		Status string `json:"status"`
		Checks map[string]struct {
			Status string `json:"status"`
			Error  string `json:"error"`
		} `json:"checks"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	m := body.Checks["migrations"]
	if resp.StatusCode != http.StatusServiceUnavailable || body.Status != "unavailable" || m.Status != "down" || !strings.Contains(m.Error, "pending") {
		t.Fatalf("%d %+v", resp.StatusCode, body)
	}
	if body.Checks["database"].Status != "up" {
		t.Fatalf("only the failing dependency is down: %+v", body.Checks)
	}
	if health := srv.Get(t, "/health"); health.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("/health %d: it answers as readiness", health.StatusCode)
	}
	if live := srv.Get(t, "/health/live"); live.StatusCode != http.StatusOK {
		t.Fatalf("liveness %d: it must not depend on the database", live.StatusCode)
	}
	if v, _ := sample(t, srv.Service.Registry(), "telemetryflow_dependency_up", map[string]string{"dependency": "migrations"}); v != 0 {
		t.Fatalf("telemetryflow_dependency_up{dependency=migrations} = %v, want 0", v)
	}
}
