package httpobs_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/telemetryflow/core/internal/platform/httpobs"
	"github.com/telemetryflow/core/internal/platform/logging"
	"github.com/telemetryflow/core/internal/platform/metrics"
	"github.com/telemetryflow/core/internal/platform/reqinfo"
)

func TestStreamingSurvivesAndOddMethodsShareALabel(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := metrics.NewHTTP(reg, nil)
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	flushed := false
	h := reqinfo.Middleware(httpobs.Middleware(httpobs.Config{Log: logging.New(&logs, "info", "json"), Metrics: m})(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			info := reqinfo.From(r.Context())
			info.Operation, info.Route = "exportAuditLogs", "/api/v2/audit/export"
			// Exports stream: the wrapper must keep http.Flusher visible.
			f, ok := w.(http.Flusher)
			if !ok {
				t.Error("the observed writer hides http.Flusher")
				return
			}
			_, _ = w.Write([]byte("id,timestamp\n"))
			f.Flush()
			flushed = true
		})))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("PROPFIND", "/api/v2/audit/export", nil))
	if !flushed || !rec.Flushed {
		t.Fatal("the stream was not flushed through")
	}
	want := `# HELP telemetryflow_http_requests_total HTTP requests served, by route template, operation and status code.
# TYPE telemetryflow_http_requests_total counter
telemetryflow_http_requests_total{code="200",method="OTHER",operation="exportAuditLogs",route="/api/v2/audit/export"} 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "telemetryflow_http_requests_total"); err != nil {
		t.Fatal(err)
	}
	var line map[string]any
	if err := json.Unmarshal(logs.Bytes(), &line); err != nil {
		t.Fatal(err)
	}
	if line["method"] != "OTHER" || line["bytes"] != float64(len("id,timestamp\n")) || line["status"] != float64(200) {
		t.Fatalf("access line %v", line)
	}
}
