package service_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/ClickHouse/ch-go"
	"github.com/ClickHouse/ch-go/proto"
	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/platform/chmigrate"
	"github.com/telemetryflow/core/internal/store/seed"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/chtest"
	"github.com/telemetryflow/core/oas"
)

// agentKey carries the User-Agent one request sends: it names the request in its audit row.
type agentKey struct{}

// agentTransport sets the User-Agent a request's context carries.
type agentTransport struct{}

func (agentTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if ua, ok := r.Context().Value(agentKey{}).(string); ok {
		r = r.Clone(r.Context())
		r.Header.Set("User-Agent", ua)
	}
	return http.DefaultTransport.RoundTrip(r)
}

// readiness asks /health/ready and returns the status code and the body's verdicts.
func readiness(t *testing.T, srv *apitest.Server) (int, string, map[string]map[string]any) {
	t.Helper()
	resp := srv.Get(t, "/health/ready")
	var body struct {
		Status string                    `json:"status"`
		Checks map[string]map[string]any `json:"checks"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body.Status, body.Checks
}

// TestServeStartsWithClickHouseDown starts the service while its ClickHouse is not running,
// performs audited requests, then starts ClickHouse: the service was ready (degraded) all
// along, the migrations are applied once ClickHouse answers, and every acknowledged event is
// stored exactly once, with its original time, in the order of the requests.
func TestServeStartsWithClickHouseDown(t *testing.T) {
	t.Parallel()
	const database = "tf_outage"
	p := chtest.NewPrivate(t) // ports reserved, server not started
	srv := apitest.Start(t, "sqlite3",
		apitest.WithEnv("TF_CLICKHOUSE_ADDR", p.Addr), apitest.WithEnv("TF_CLICKHOUSE_DATABASE", database),
		apitest.WithEnv("TF_AUDIT_BATCH_SIZE", "100"), apitest.WithEnv("TF_AUDIT_FLUSH_INTERVAL", "20ms"))

	code, status, checks := readiness(t, srv)
	if code != http.StatusOK || status != "degraded" || checks["audit_sink"]["status"] != "degraded" || checks["database"]["status"] != "up" {
		t.Fatalf("readiness with ClickHouse down: %d %s %v", code, status, checks)
	}
	t.Logf("audit_sink while down: %v", checks["audit_sink"]["error"])

	srv.CreateUser(t, apitest.UserSpec{Email: "viewer@example.com", Password: "a-test-password-123", Roles: []string{rbac.RoleViewer}})
	_, tok := srv.Login(t, "viewer@example.com", "a-test-password-123")
	viewer, err := oas.NewClient(srv.URL, apitest.Bearer(tok.AccessToken), oas.WithClient(&http.Client{Transport: agentTransport{}}))
	if err != nil {
		t.Fatal(err)
	}
	// Each request is refused (viewers lack audit:read) and audited as AUTHZ DENIED, its row
	// named by its User-Agent.
	const total = 600
	run := uuid.NewString()
	var want []string
	for i := range total {
		ua := fmt.Sprintf("outage-test/%s/%04d", run, i)
		_, err := viewer.ListAuditLogs(context.WithValue(context.Background(), agentKey{}, ua), oas.ListAuditLogsParams{})
		var problem *oas.ProblemStatusCodeWithHeaders
		if !errors.As(err, &problem) || problem.StatusCode != http.StatusForbidden {
			t.Fatalf("request %d: %v", i, err)
		}
		want = append(want, ua)
	}
	// The trail cannot be read meanwhile: a 503 naming the cause, not an internal error.
	_, err = srv.LoginAdmin(t).ListAuditLogs(context.Background(), oas.ListAuditLogsParams{})
	var unavailable *oas.ProblemStatusCodeWithHeaders
	if !errors.As(err, &unavailable) || unavailable.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("audit read with ClickHouse down: %v", err)
	}
	if st := srv.Service.AuditStats(); st.Written != 0 || st.Spooled == 0 {
		t.Fatalf("before ClickHouse starts: writer stats %+v", st)
	}

	p.Start(t)
	back := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if err := srv.Service.FlushAudit(ctx); err != nil {
		t.Fatalf("flush: %v (stats %+v)", err, srv.Service.AuditStats())
	}
	drained := time.Since(back)
	st := srv.Service.AuditStats()
	t.Logf("ClickHouse back to spool drained: %v (%d events replayed, %d failed insert attempts)", drained, st.Replayed, st.BatchesFailed)

	c, err := ch.Dial(ctx, ch.Options{Address: p.Addr, Database: database, ReadTimeout: 30 * time.Second, DialTimeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r, err := chmigrate.New(c, chmigrate.Config{RetentionDays: 90})
	if err != nil {
		t.Fatal(err)
	}
	ms, err := r.Status(ctx)
	if err != nil || len(ms.Pending) != 0 || ms.Applied == 0 {
		t.Fatalf("migrations after ClickHouse came back: %+v, %v", ms, err)
	}

	// Exactly once each, and with the times the events happened: request i's row is not later
	// than request i+1's (rows are sorted by the request's number, carried in the agent).
	var agent proto.ColStr
	var at proto.ColInt64
	var got []string
	var times []int64
	err = c.Do(ctx, ch.Query{
		Body: "SELECT user_agent, toUnixTimestamp64Milli(timestamp) AS at FROM audit_logs " +
			"WHERE startsWith(user_agent, {p:String}) ORDER BY user_agent",
		Parameters: []proto.Parameter{{Key: "p", Value: "'outage-test/" + run + "/'"}},
		Result:     proto.Results{{Name: "user_agent", Data: &agent}, {Name: "at", Data: &at}},
		OnResult: func(context.Context, proto.Block) error {
			for i := range agent.Rows() {
				got = append(got, agent.Row(i))
				times = append(times, at.Row(i))
			}
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("stored %d rows for %d acknowledged requests, not each exactly once", len(got), len(want))
	}
	if !slices.IsSorted(times) {
		t.Fatalf("stored times are not in the order of the requests")
	}
	var n proto.ColUInt64
	err = c.Do(ctx, ch.Query{
		Body:       "SELECT sum(count) AS n FROM audit_logs_stats WHERE organization_id = {o:String} AND event_type = 'AUTHZ' AND result = 'DENIED'",
		Parameters: []proto.Parameter{{Key: "o", Value: "'" + srv.OrganizationID(t, seed.DefaultSlug).String() + "'"}},
		Result:     proto.Results{{Name: "n", Data: &n}},
	})
	if err != nil || n.Row(0) != total {
		t.Fatalf("daily summary counts %v denials of %d (%v)", n, total, err)
	}

	code, status, checks = readiness(t, srv)
	if code != http.StatusOK || status != "ready" || checks["audit_sink"]["status"] != "up" {
		t.Fatalf("readiness after the spool drained: %d %s %v", code, status, checks)
	}
}
