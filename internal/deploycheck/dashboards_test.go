package deploycheck_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"gopkg.in/yaml.v3"

	"github.com/telemetryflow/core/internal/testutil/apitest"
)

// pendingContract are the metrics docs/observability.md assigns to other areas. A dashboard
// query that reads only these may come back empty while the metric is not exported yet; as soon
// as the service exports one, queries on it must return series like any other.
var pendingContract = map[string]string{
	"telemetryflow_audit_events_total":                         "audit pipeline",
	"telemetryflow_audit_queue_depth":                          "audit pipeline",
	"telemetryflow_audit_queue_capacity":                       "audit pipeline",
	"telemetryflow_audit_batches_total":                        "audit pipeline",
	"telemetryflow_audit_batch_duration_seconds":               "audit pipeline",
	"telemetryflow_audit_events_written_total":                 "audit pipeline",
	"telemetryflow_audit_events_spooled_total":                 "audit pipeline",
	"telemetryflow_audit_events_replayed_total":                "audit pipeline",
	"telemetryflow_audit_events_dropped_total":                 "audit pipeline",
	"telemetryflow_audit_spool_bytes":                          "audit pipeline",
	"telemetryflow_auth_logins_total":                          "authentication",
	"telemetryflow_auth_lockouts_total":                        "authentication",
	"telemetryflow_auth_tokens_rejected_total":                 "authentication",
	"telemetryflow_auth_refreshes_total":                       "authentication",
	"telemetryflow_authz_decisions_total":                      "authorization",
	"telemetryflow_authz_permission_cache_lookups_total":       "authorization",
	"telemetryflow_authz_permission_cache_invalidations_total": "authorization",
}

// grafanaMacros are the only dashboard variables allowed; the test gives them values suited to
// its one-second scrape interval.
var grafanaMacros = strings.NewReplacer("$__rate_interval", "1m")

var metricName = regexp.MustCompile(`\b(?:telemetryflow|go|process|up)[a-zA-Z0-9_:]*`)

// baseName maps a histogram's series name to its family name.
func baseName(n string) string {
	for _, suffix := range []string{"_bucket", "_sum", "_count"} {
		if b, ok := strings.CutSuffix(n, suffix); ok && pendingContract[b] != "" {
			return b
		}
	}
	return n
}

// Every query of every dashboard, evaluated by a real Prometheus that scraped the real service
// after some traffic, parses and returns series.
func TestDashboardQueriesReturnSeries(t *testing.T) {
	bin, err := exec.LookPath("prometheus")
	if err != nil {
		t.Fatal("the prometheus binary is required for the dashboard check and is not on PATH; " +
			"install it with `apt-get install -y prometheus` (Debian package; .ci/run installs it)")
	}
	srv := apitest.Start(t, dialect.SQLite)
	backend := strings.TrimPrefix(srv.URL, "http://")
	prom := startPrometheus(t, bin, backend)

	// A first scrape before the traffic, so rates span it.
	prom.waitFor(t, `up{job="telemetryflow-core"} == 1`, "the backend scraped")
	const rounds = 5
	for range rounds {
		drive(t, srv.URL)
	}
	prom.waitFor(t, fmt.Sprintf(`sum(telemetryflow_http_requests_total{operation="listAuditLogs"}) >= %d`, rounds), "the traffic scraped")
	prom.waitFor(t, `count_over_time(telemetryflow_http_requests_in_flight[1m]) >= 3`, "a third scrape")

	present := map[string]bool{}
	for _, s := range prom.query(t, `group by (__name__) ({__name__=~"telemetryflow_.+"})`) {
		present[baseName(s.Metric["__name__"])] = true
	}
	qs := queries(t)
	if len(qs) < 40 {
		t.Fatalf("only %d queries found in the dashboards", len(qs))
	}
	var tolerated []string
	for _, q := range qs {
		expr := grafanaMacros.Replace(q.expr)
		if strings.Contains(expr, "$") {
			t.Errorf("%s / %s: unknown dashboard variable in %s", q.file, q.panel, q.expr)
			continue
		}
		series, err := prom.tryQuery(expr)
		if err != nil {
			t.Errorf("%s / %s: %s: %v", q.file, q.panel, expr, err)
			continue
		}
		if len(series) > 0 {
			continue
		}
		if why := pendingOnly(expr, present); why != "" {
			tolerated = append(tolerated, fmt.Sprintf("%s / %s (%s)", q.file, q.panel, why))
			continue
		}
		t.Errorf("%s / %s: no series for %s", q.file, q.panel, expr)
	}
	sort.Strings(tolerated)
	for _, s := range tolerated {
		t.Logf("empty until its owner exports it: %s", s)
	}
}

// pendingOnly says which owners an empty query waits for, or "" when it reads anything the
// service should already export.
func pendingOnly(expr string, present map[string]bool) string {
	owners := map[string]bool{}
	for _, n := range metricName.FindAllString(expr, -1) {
		n = baseName(n)
		owner, pending := pendingContract[n]
		if !pending || present[n] {
			return ""
		}
		owners[owner] = true
	}
	var out []string
	for o := range owners {
		out = append(out, o)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// Every metric a dashboard reads is documented, so the contract and the dashboards agree.
func TestDashboardMetricsAreDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join(repoRoot(t), "docs", "observability.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range queries(t) {
		for _, n := range metricName.FindAllString(q.expr, -1) {
			n = baseName(n)
			n = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(n, "_bucket"), "_sum"), "_count")
			if strings.HasPrefix(n, "telemetryflow_") && !bytes.Contains(doc, []byte("`"+n)) {
				t.Errorf("%s / %s reads %s, which docs/observability.md does not name", q.file, q.panel, n)
			}
		}
	}
	for n := range pendingContract {
		if !bytes.Contains(doc, []byte("`"+n+"`")) {
			t.Errorf("pending metric %s is not in docs/observability.md", n)
		}
	}
}

// drive sends one round of representative traffic: every API area, unknown routes, probes.
func drive(t *testing.T, base string) {
	t.Helper()
	reqs := []struct{ method, path, body string }{
		{"POST", "/api/v2/auth/login", `{"email":"admin@example.com","password":"wrong-password"}`},
		{"POST", "/api/v2/auth/refresh", `{"refresh_token":"x"}`},
		{"GET", "/api/v2/auth/me", ""},
		{"GET", "/api/v2/users", ""},
		{"GET", "/api/v2/users/0198f4d0-0000-7000-8000-000000000001", ""},
		{"GET", "/api/v2/roles", ""},
		{"POST", "/api/v2/authz/check", `{"checks":[{"permission":"user:read"}]}`},
		{"GET", "/api/v2/audit/logs", ""},
		{"GET", "/api/v2/audit/stats", ""},
		{"GET", "/api/v2/audit/export?format=csv", ""},
		{"GET", "/api/v2/nothing/here", ""},
		{"GET", "/health/ready", ""},
		{"GET", "/version", ""},
	}
	for _, r := range reqs {
		req, err := http.NewRequest(r.method, base+r.path, strings.NewReader(r.body))
		if err != nil {
			t.Fatal(err)
		}
		if r.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
}

type prometheus struct {
	base string
	logs *syncBuffer
}

type series struct {
	Metric map[string]string `json:"metric"`
}

// startPrometheus runs the real binary with docker/prometheus.yml, every job pointed at this
// machine: the backend at the test server, the others at a closed port (they report up == 0,
// as an outage would).
func startPrometheus(t *testing.T, bin, backend string) *prometheus {
	t.Helper()
	var cfg map[string]any
	raw, err := os.ReadFile(dockerFile(t, "prometheus.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(raw, &cfg); err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	closed := freePort(t)
	targets := map[string]string{
		"telemetryflow-core": backend,
		"clickhouse":         "127.0.0.1:" + closed,
		"otel-collector":     "127.0.0.1:" + closed,
		"prometheus":         "127.0.0.1:" + port,
	}
	cfg["global"] = map[string]any{"scrape_interval": "1s", "evaluation_interval": "1s", "scrape_timeout": "900ms"}
	for _, sc := range cfg["scrape_configs"].([]any) {
		job := sc.(map[string]any)
		target, ok := targets[job["job_name"].(string)]
		if !ok {
			t.Fatalf("docker/prometheus.yml has job %v, which this test does not know how to point at loopback", job["job_name"])
		}
		job["static_configs"] = []any{map[string]any{"targets": []string{target}}}
	}
	dir := t.TempDir()
	out, _ := yaml.Marshal(cfg)
	if err := os.WriteFile(filepath.Join(dir, "prometheus.yml"), out, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin,
		"--config.file="+filepath.Join(dir, "prometheus.yml"),
		"--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address=127.0.0.1:"+port,
		"--log.level=warn")
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	logs := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("prometheus log:\n%s", logs.String())
		}
	})
	p := &prometheus{base: "http://127.0.0.1:" + port, logs: logs}
	p.waitFor(t, "vector(1)", "Prometheus to answer queries")
	return p
}

func (p *prometheus) tryQuery(expr string) ([]series, error) {
	resp, err := http.Get(p.base + "/api/v1/query?" + url.Values{"query": {expr}}.Encode())
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var body struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			ResultType string   `json:"resultType"`
			Result     []series `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, fmt.Errorf("HTTP %d: %w", resp.StatusCode, err)
	}
	if body.Status != "success" {
		return nil, fmt.Errorf("query error: %s", body.Error)
	}
	if body.Data.ResultType != "vector" {
		return nil, fmt.Errorf("result type %s, want vector", body.Data.ResultType)
	}
	return body.Data.Result, nil
}

func (p *prometheus) query(t *testing.T, expr string) []series {
	t.Helper()
	s, err := p.tryQuery(expr)
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return s
}

// waitFor polls until expr returns a series. The deadline only bounds a broken run; nothing is
// asserted about how long it takes.
func (p *prometheus) waitFor(t *testing.T, expr, what string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	var last error
	for time.Now().Before(deadline) {
		s, err := p.tryQuery(expr)
		if err == nil && len(s) > 0 {
			return
		}
		last = err
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("gave up waiting for %s (%s); last error: %v\nprometheus log:\n%s", what, expr, last, p.logs.String())
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
