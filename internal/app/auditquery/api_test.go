package auditquery_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/store/seed"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/audittest"
	"github.com/telemetryflow/core/internal/testutil/chtest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/oas"
)

const pw = "a-test-password-123"

// stores are the audit stores the API runs on: SQLite, PostgreSQL, and ClickHouse (with
// PostgreSQL for IAM).
// auditStore is one backend the audit API is tested on: a relational dialect, with the audit
// log in the same database or (ch) in ClickHouse.
type auditStore struct {
	name string
	ch   bool
	dia  string
}

func stores() []auditStore {
	var out []auditStore
	for _, dia := range dbtest.Dialects {
		out = append(out, auditStore{dia, false, dia})
	}
	return append(out, auditStore{"clickhouse", true, "postgres"})
}

// eachStore runs body as a parallel subtest per audit store.
func eachStore(t *testing.T, body func(t *testing.T, st auditStore)) {
	t.Helper()
	for _, st := range stores() {
		t.Run(st.name, func(t *testing.T) {
			t.Parallel()
			body(t, st)
		})
	}
}

func start(t *testing.T, dia string, withCH bool) *apitest.Server {
	t.Helper()
	return startWith(t, dia, withCH)
}

func startWith(t *testing.T, dia string, withCH bool, opts ...apitest.Option) *apitest.Server {
	t.Helper()
	if withCH {
		ch := chtest.New(t)
		opts = append(opts, apitest.WithEnv("TF_CLICKHOUSE_ADDR", ch.Addr), apitest.WithEnv("TF_CLICKHOUSE_DATABASE", ch.Database))
	}
	return apitest.Start(t, dia, opts...)
}

// settle stores every event recorded so far and returns the first millisecond after them.
// Reading the audit log is itself audited, and those rows reach the store whenever the
// writer's batch goes out; a test that counts rows reads up to this instant (To, exclusive),
// which every later row is at or after. It waits for the clock to reach the next
// millisecond (at most one): rows keep millisecond timestamps.
func settle(t *testing.T, srv *apitest.Server) time.Time {
	t.Helper()
	srv.FlushAudit(t)
	cut := time.Now().UTC().Truncate(time.Millisecond).Add(time.Millisecond)
	for time.Now().Before(cut) {
		runtime.Gosched()
	}
	return cut
}

func listAll(t *testing.T, c *oas.Client, p oas.ListAuditLogsParams) []oas.AuditLog {
	t.Helper()
	var out []oas.AuditLog
	for range 1000 {
		page, err := c.ListAuditLogs(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Items...)
		next, ok := page.NextCursor.Get()
		if !ok {
			return out
		}
		p.Cursor = oas.NewOptString(next)
	}
	t.Fatal("cursor does not end")
	return nil
}

func status(err error) int {
	var p *oas.ProblemStatusCodeWithHeaders
	if errors.As(err, &p) {
		return p.StatusCode
	}
	return 0
}

func TestAuditAPI(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, st auditStore) {
		ctx := context.Background()
		srv := start(t, st.dia, st.ch)
		defaultOrg := srv.OrganizationID(t, seed.DefaultSlug).String()
		demoOrg := srv.OrganizationID(t, seed.DemoSlug).String()
		srv.CreateUser(t, apitest.UserSpec{Email: "orgadmin@example.com", Password: pw, Roles: []string{rbac.RoleAdministrator}})
		demoAdminID := srv.CreateUser(t, apitest.UserSpec{Email: "demoadmin@example.com", Password: pw, OrgSlug: seed.DemoSlug, Roles: []string{rbac.RoleAdministrator}})
		srv.CreateUser(t, apitest.UserSpec{Email: "viewer@example.com", Password: pw, Roles: []string{rbac.RoleViewer}})

		super := srv.LoginAdmin(t)
		orgAdmin, _ := srv.Login(t, "orgadmin@example.com", pw)
		demoAdmin, _ := srv.Login(t, "demoadmin@example.com", pw)
		viewer, _ := srv.Login(t, "viewer@example.com", pw)
		// Events of every kind: AUTH logins (above), an anonymous AUTH failure, AUTHZ denials.
		if _, err := srv.Client.Login(ctx, &oas.LoginRequest{Email: "nobody@example.com", Password: "wrong-password-123"}); status(err) != 401 {
			t.Fatalf("unknown login: %v", err)
		}
		for range 3 {
			if _, err := viewer.ListAuditLogs(ctx, oas.ListAuditLogsParams{}); status(err) != 403 {
				t.Fatalf("viewer without audit:read: %v", err)
			}
		}
		// Every list below reads up to cut: the rows of the test's own reads come later.
		cut := settle(t, srv)
		upTo := oas.NewOptDateTime(cut)

		all := listAll(t, super, oas.ListAuditLogsParams{Limit: oas.NewOptInt(1000), To: upTo})
		byOrg := map[string]int{}
		byID := map[uuid.UUID]oas.AuditLog{}
		for _, e := range all {
			byOrg[e.OrganizationID]++
			byID[e.ID] = e
		}
		if len(byID) != len(all) || byOrg[defaultOrg] < 5 || byOrg[demoOrg] < 1 || byOrg[""] < 1 {
			t.Fatalf("super administrator sees %d events by organization %v", len(all), byOrg)
		}
		var demoEvent, defaultEvent oas.AuditLog
		for _, e := range all {
			switch e.OrganizationID {
			case demoOrg:
				demoEvent = e
			case defaultOrg:
				defaultEvent = e
			}
		}

		t.Run("newest first, pages of 2 cover everything once", func(t *testing.T) {
			paged := listAll(t, super, oas.ListAuditLogsParams{Limit: oas.NewOptInt(2), To: upTo})
			if len(paged) != len(all) {
				t.Fatalf("%d paged, %d in one page", len(paged), len(all))
			}
			for i := range paged {
				if paged[i].ID != all[i].ID {
					t.Fatalf("row %d differs between page sizes", i)
				}
				if i > 0 && paged[i].Timestamp.After(paged[i-1].Timestamp) {
					t.Fatal("not newest first")
				}
			}
		})
		t.Run("an organization administrator sees their organization only", func(t *testing.T) {
			got := listAll(t, orgAdmin, oas.ListAuditLogsParams{Limit: oas.NewOptInt(3), To: upTo})
			if len(got) != byOrg[defaultOrg] {
				t.Fatalf("org admin sees %d, organization has %d", len(got), byOrg[defaultOrg])
			}
			for _, e := range got {
				if e.OrganizationID != defaultOrg {
					t.Fatalf("org admin sees an event of %q", e.OrganizationID)
				}
			}
			if got := listAll(t, orgAdmin, oas.ListAuditLogsParams{OrganizationID: oas.NewOptString(demoOrg), To: upTo}); len(got) != 0 {
				t.Fatalf("asking for another organization returns %d events", len(got))
			}
			if got := listAll(t, demoAdmin, oas.ListAuditLogsParams{To: upTo}); len(got) != byOrg[demoOrg] {
				t.Fatalf("demo admin sees %d, demo has %d", len(got), byOrg[demoOrg])
			}
		})
		t.Run("get is scoped: another organization's event is 404", func(t *testing.T) {
			got, err := orgAdmin.GetAuditLog(ctx, oas.GetAuditLogParams{ID: defaultEvent.ID})
			if err != nil || got.ID != defaultEvent.ID || got.Action != defaultEvent.Action {
				t.Fatalf("own event: %v", err)
			}
			if _, err := orgAdmin.GetAuditLog(ctx, oas.GetAuditLogParams{ID: demoEvent.ID}); status(err) != 404 {
				t.Fatalf("other organization's event: %v", err)
			}
			if _, err := super.GetAuditLog(ctx, oas.GetAuditLogParams{ID: uuid.New()}); status(err) != 404 {
				t.Fatalf("unknown id: %v", err)
			}
		})
		t.Run("filters", func(t *testing.T) {
			denied := listAll(t, super, oas.ListAuditLogsParams{EventType: oas.NewOptAuditEventType(oas.AuditEventTypeAUTHZ),
				Result: oas.NewOptAuditResult(oas.AuditResultDENIED), Action: oas.NewOptString("list_audit_logs")})
			if len(denied) != 3 {
				t.Fatalf("AUTHZ DENIED list_audit_logs: %d", len(denied))
			}
			from := all[len(all)-1].Timestamp.Add(time.Millisecond)
			if got := listAll(t, super, oas.ListAuditLogsParams{From: oas.NewOptDateTime(from), To: upTo}); len(got) >= len(all) {
				t.Fatalf("from does not filter: %d", len(got))
			}
			// Plain RFC 3339 without fractional seconds is accepted as well.
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v2/audit/logs?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00%2B02:00", nil)
			res, err := srv.Client.Login(ctx, &oas.LoginRequest{Email: apitest.AdminEmail, Password: apitest.AdminPassword})
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+res.AccessToken)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("RFC 3339 bounds without fraction: %d", resp.StatusCode)
			}
		})
		t.Run("stats and activity agree with the log", func(t *testing.T) {
			// Daily counts cannot stop at an instant: each is compared with the log as it
			// stood when the count was taken (the reads above have added rows since).
			sum := func(c *oas.Client) (int64, time.Time) {
				at := settle(t, srv)
				s, err := c.GetAuditStats(ctx, oas.GetAuditStatsParams{})
				if err != nil {
					t.Fatal(err)
				}
				var n int64
				for _, r := range s.Items {
					n += r.Count
				}
				return n, at
			}
			if n, at := sum(super); n != int64(len(listAll(t, super, oas.ListAuditLogsParams{Limit: oas.NewOptInt(1000), To: oas.NewOptDateTime(at)}))) {
				t.Fatalf("super stats %d, log up to then differs", n)
			}
			if n, at := sum(orgAdmin); n != int64(len(listAll(t, orgAdmin, oas.ListAuditLogsParams{Limit: oas.NewOptInt(1000), To: oas.NewOptDateTime(at)}))) {
				t.Fatalf("org stats %d, log up to then differs", n)
			}
			act, err := super.GetAuditUserActivity(ctx, oas.GetAuditUserActivityParams{ID: demoAdminID})
			if err != nil || act.UserID != demoAdminID || len(act.Items) == 0 {
				t.Fatalf("activity: %+v %v", act, err)
			}
			hidden, err := orgAdmin.GetAuditUserActivity(ctx, oas.GetAuditUserActivityParams{ID: demoAdminID})
			if err != nil || len(hidden.Items) != 0 {
				t.Fatalf("org admin sees another organization's user activity: %+v %v", hidden, err)
			}
		})
		t.Run("export streams CSV and NDJSON", func(t *testing.T) {
			for _, format := range []oas.ExportAuditLogsFormat{oas.ExportAuditLogsFormatCsv, oas.ExportAuditLogsFormatNdjson} {
				res, err := super.ExportAuditLogs(ctx, oas.ExportAuditLogsParams{Format: oas.NewOptExportAuditLogsFormat(format), To: oas.NewOptDateTime(all[0].Timestamp.Add(time.Millisecond))})
				if err != nil {
					t.Fatal(err)
				}
				var rows int
				switch r := res.(type) {
				case *oas.ExportAuditLogsOKTextCsv:
					recs, err := csv.NewReader(r.Data).ReadAll()
					if err != nil || len(recs) == 0 || recs[0][0] != "id" || len(recs[0]) != 21 {
						t.Fatalf("csv: %v %v", err, recs)
					}
					rows = len(recs) - 1
					if recs[1][0] != all[0].ID.String() {
						t.Fatalf("csv not newest first: %v", recs[1])
					}
				case *oas.ExportAuditLogsOKApplicationXNdjson:
					sc := bufio.NewScanner(r.Data)
					for sc.Scan() {
						var e oas.AuditLog
						if err := e.UnmarshalJSON(sc.Bytes()); err != nil {
							t.Fatalf("ndjson line %d: %v", rows, err)
						}
						if _, ok := byID[e.ID]; !ok {
							t.Fatalf("ndjson has an unknown event %s", e.ID)
						}
						rows++
					}
				default:
					t.Fatalf("%T", res)
				}
				if rows != len(all) {
					t.Fatalf("%s export has %d rows, log %d", format, rows, len(all))
				}
			}
			res, err := orgAdmin.ExportAuditLogs(ctx, oas.ExportAuditLogsParams{})
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.(*oas.ExportAuditLogsOKApplicationXNdjson).Data)
			for _, line := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
				var e struct {
					OrganizationID string `json:"organization_id"`
				}
				if err := json.Unmarshal(line, &e); err != nil || e.OrganizationID != defaultOrg {
					t.Fatalf("org admin export has %s", line)
				}
			}
		})
		t.Run("exports are audited", func(t *testing.T) {
			srv.FlushAudit(t)
			got := listAll(t, super, oas.ListAuditLogsParams{Action: oas.NewOptString("export_audit_logs")})
			if len(got) != 3 {
				t.Fatalf("%d export events, want 3", len(got))
			}
		})
		t.Run("injection attempts are 400 or empty, never an error", func(t *testing.T) {
			injectionAttempts(t, srv, super)
		})
	})
}

// injectionAttempts sends hostile values in every filter parameter, raw (so the client's own
// validation does not hide anything), and accepts only 400 or an empty 200.
func injectionAttempts(t *testing.T, srv *apitest.Server, c *oas.Client) {
	t.Helper()
	res, err := srv.Client.Login(context.Background(), &oas.LoginRequest{Email: apitest.AdminEmail, Password: apitest.AdminPassword})
	if err != nil {
		t.Fatal(err)
	}
	token := res.AccessToken
	filters := []string{"user_id", "user_email", "action", "resource", "tenant_id", "organization_id", "workspace_id", "session_id",
		"from", "to", "event_type", "result"}
	values := append(append([]string{}, audittest.Injections...),
		"2026-01-01T00:00:00Z' OR 1=1 --", "1; DROP TABLE audit_logs", "-1", "99999999999999999999", "AUTH' OR '1'='1", strings.Repeat("A", 300))
	// Each operation with the parameters it declares (others are ignored by the router).
	ops := []struct {
		path   string
		params []string
	}{
		{"/api/v2/audit/logs", append([]string{"cursor", "limit"}, filters...)},
		{"/api/v2/audit/export", append([]string{"format"}, filters...)},
		{"/api/v2/audit/stats", []string{"from", "to", "event_type", "result"}},
		{"/api/v2/audit/users/" + uuid.NewString() + "/activity", []string{"from", "to"}},
	}
	get := func(rawURL string) (int, []byte, string) {
		req, err := http.NewRequest(http.MethodGet, rawURL, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, body, resp.Header.Get("Content-Type")
	}
	for _, op := range ops {
		for _, param := range op.params {
			for _, v := range values {
				code, body, ct := get(srv.URL + op.path + "?" + url.Values{param: {v}}.Encode())
				if code != 400 && (code != 200 || !isEmpty(body, ct)) {
					t.Fatalf("%s?%s=%q: %d %s", op.path, param, v, code, body)
				}
			}
		}
	}
	for _, v := range values {
		for _, path := range []string{"/api/v2/audit/logs/" + url.PathEscape(v), "/api/v2/audit/users/" + url.PathEscape(v) + "/activity"} {
			if code, body, _ := get(srv.URL + path); code != 400 && code != 404 {
				t.Fatalf("%s: %d %s", path, code, body)
			}
		}
	}
	// The log is intact afterwards.
	if got := listAll(t, c, oas.ListAuditLogsParams{Limit: oas.NewOptInt(1)}); len(got) == 0 {
		t.Fatal("no events after injection attempts")
	}
}

// isEmpty accepts a 200 that returned nothing: an empty list, an empty export, or stats and
// activity with no rows.
func isEmpty(body []byte, contentType string) bool {
	switch {
	case strings.HasPrefix(contentType, "application/json"):
		var v struct {
			Items []json.RawMessage `json:"items"`
		}
		return json.Unmarshal(body, &v) == nil && len(v.Items) == 0
	case strings.HasPrefix(contentType, "text/csv"):
		return bytes.Count(body, []byte("\n")) <= 1 // the header only
	default:
		return len(bytes.TrimSpace(body)) == 0
	}
}
