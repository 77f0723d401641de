package deploycheck_test

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"github.com/ClickHouse/ch-go"
	"github.com/ClickHouse/ch-go/proto"

	"github.com/telemetryflow/core/internal/deploycheck"
	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/platform/chdb"
	"github.com/telemetryflow/core/internal/store/auditch"
	"github.com/telemetryflow/core/internal/store/seed"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/audittest"
	"github.com/telemetryflow/core/internal/testutil/chtest"
	"github.com/telemetryflow/core/oas"
)

// result is what a query returned: column names and ClickHouse types, and the rows.
type result struct {
	names, types []string
	rows         [][]any
}

func (r result) col(name string) int { return slices.Index(r.names, name) }

// number reads a numeric cell as a float (counts come back as UInt64).
func number(v any) (float64, bool) {
	switch n := v.(type) {
	case uint64:
		return float64(n), true
	case uint32:
		return float64(n), true
	case uint8:
		return float64(n), true
	case int64:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

var numericType = regexp.MustCompile(`^(U?Int\d+|Float\d+)$`)

// run executes a query as the Grafana account would: readonly=1, so a statement that writes
// or changes the schema fails here as it would for that account. Cells are copied out block
// by block; an unsupported column type is an error, never a panic (a client that dies
// mid-query makes the local test server abort).
func run(ctx context.Context, c *ch.Client, sql string) (result, error) {
	var res proto.Results
	var out result
	err := c.Do(ctx, ch.Query{
		Body:     sql,
		Settings: []ch.Setting{{Key: "readonly", Value: "1"}},
		Result:   res.Auto(),
		OnResult: func(_ context.Context, _ proto.Block) error {
			if out.names == nil {
				for _, c := range res {
					out.names = append(out.names, c.Name)
					out.types = append(out.types, string(c.Data.Type()))
				}
			}
			rows := res.Rows()
			for i := range rows {
				row := make([]any, len(res))
				for j, c := range res {
					switch col := c.Data.(type) {
					case *proto.ColStr:
						row[j] = col.Row(i)
					case *proto.ColUInt64:
						row[j] = col.Row(i)
					case *proto.ColUInt32:
						row[j] = col.Row(i)
					case *proto.ColUInt8:
						row[j] = col.Row(i)
					case *proto.ColInt64:
						row[j] = col.Row(i)
					case *proto.ColFloat64:
						row[j] = col.Row(i)
					case *proto.ColDateTime:
						row[j] = col.Row(i)
					case *proto.ColDateTime64:
						row[j] = col.Row(i)
					case *proto.ColDate:
						row[j] = col.Row(i)
					default:
						return fmt.Errorf("column %s: type %s (%T) not read by this check", c.Name, c.Data.Type(), c.Data)
					}
				}
				out.rows = append(out.rows, row)
			}
			return nil
		},
	})
	return out, err
}

// relative parses Grafana's "now-6h" or a panel's "30d".
func relative(s string) (time.Duration, error) {
	s = strings.TrimPrefix(s, "now-")
	if len(s) < 2 {
		return 0, fmt.Errorf("relative time %q", s)
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil {
		return 0, fmt.Errorf("relative time %q: %w", s, err)
	}
	unit := map[byte]time.Duration{'s': time.Second, 'm': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour}[s[len(s)-1]]
	if unit == 0 {
		return 0, fmt.Errorf("relative time %q: unknown unit", s)
	}
	return time.Duration(n) * unit, nil
}

// panelRange is the range Grafana queries a panel with: its own relative override, else the
// dashboard's default range; the interval as Grafana derives it for about 1,000 points.
func panelRange(q sqlQuery, now time.Time) (deploycheck.QueryRange, error) {
	span := q.panel.TimeFrom
	if span == "" {
		if q.dash.Time.To != "now" {
			return deploycheck.QueryRange{}, fmt.Errorf("dashboard range ends at %q, not now", q.dash.Time.To)
		}
		span = q.dash.Time.From
	}
	d, err := relative(span)
	if err != nil {
		return deploycheck.QueryRange{}, err
	}
	return deploycheck.QueryRange{From: now.Add(-d), To: now, Interval: d / 1000}, nil
}

// auditTraffic drives the service so that its own audit events are what the panels name:
// successful and failed logins, permission denials (with the permission in their metadata) and
// a command. It returns the administrator's user id.
func auditTraffic(t *testing.T, srv *apitest.Server) string {
	t.Helper()
	ctx := context.Background()
	admin, tokens := srv.Login(t, apitest.AdminEmail, apitest.AdminPassword)
	for _, email := range []string{apitest.AdminEmail, "nobody@example.com"} {
		if _, err := srv.Client.Login(ctx, &oas.LoginRequest{Email: email, Password: "a-wrong-password-123"}); err == nil {
			t.Fatalf("login of %s with a wrong password succeeded", email)
		}
	}
	srv.CreateUser(t, apitest.UserSpec{Email: "viewer@example.com", Password: "a-viewer-password-123", Roles: []string{rbac.RoleViewer}})
	viewer, _ := srv.Login(t, "viewer@example.com", "a-viewer-password-123")
	for range 3 {
		if _, err := viewer.ListAuditLogs(ctx, oas.ListAuditLogsParams{}); err == nil {
			t.Fatal("a viewer listed the audit log")
		}
	}
	if _, err := admin.CreateUser(ctx, &oas.UserCreate{Email: "new@example.com", Password: "a-new-user-password-123",
		FirstName: "New", LastName: "User", OrganizationID: srv.OrganizationID(t, seed.DefaultSlug)}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := srv.Service.FlushAudit(ctx); err != nil {
		t.Fatal(err)
	}
	return tokens.User.ID.String()
}

// Every ClickHouse query of every dashboard, with its macros expanded as the plugin expands
// them for the panel's time range, runs read-only on a real ClickHouse holding the real schema
// (migrated by the service) and real audit events (the service's own, and three days of
// history, both stored by the production sink), and returns rows of the shape its panel
// draws. Panels with a known answer are checked against the raw audit log.
func TestClickHouseDashboardQueries(t *testing.T) {
	t.Parallel()
	chs := chtest.New(t)
	srv := apitest.Start(t, dialect.SQLite,
		apitest.WithEnv("TF_CLICKHOUSE_ADDR", chs.Addr), apitest.WithEnv("TF_CLICKHOUSE_DATABASE", chs.Database))
	adminID := auditTraffic(t, srv)
	ctx := context.Background()
	pool, err := chdb.Open(ctx, chdb.Config{Addr: chs.Addr, Database: chs.Database, User: "default"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	history := audittest.NewDataset(300) // over today and the two days before
	history.Write(t, auditch.New(pool))

	// As a dashboard refreshed a moment after the traffic: $__timeFilter has second precision,
	// so "now" taken in the same second as the last event would leave it out.
	now := time.Now().UTC().Add(2 * time.Second)
	// truth asks the raw log what a summary-based panel must show for its range.
	truth := func(r deploycheck.QueryRange, expr, where string) float64 {
		t.Helper()
		sql := fmt.Sprintf("SELECT %s AS n FROM audit_logs WHERE toDate(timestamp, 'UTC') BETWEEN toDate('%s') AND toDate('%s') %s",
			expr, r.From.Format(time.DateOnly), r.To.Format(time.DateOnly), where)
		res, err := run(ctx, chs.Client, sql)
		if err != nil || len(res.rows) != 1 {
			t.Fatalf("%s: %v", sql, err)
		}
		n, _ := number(res.rows[0][0])
		return n
	}
	// raw runs a query of this test's own on the raw log, with the panel's macros.
	raw := func(r deploycheck.QueryRange, sql string) result {
		t.Helper()
		sql, err := deploycheck.ExpandClickHouseMacros(sql, r)
		if err != nil {
			t.Fatal(err)
		}
		res, err := run(ctx, chs.Client, sql)
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return res
	}
	sumCol := func(res result, name string) float64 {
		total := 0.0
		if i := res.col(name); i >= 0 {
			for _, row := range res.rows {
				n, _ := number(row[i])
				total += n
			}
		}
		return total
	}
	// rowWhere finds the first row whose named columns hold the given strings.
	rowWhere := func(res result, want map[string]string) []any {
		for _, row := range res.rows {
			ok := true
			for k, v := range want {
				if i := res.col(k); i < 0 || row[i] != v {
					ok = false
				}
			}
			if ok {
				return row
			}
		}
		return nil
	}
	at := func(res result, row []any, name string) float64 {
		if row == nil || res.col(name) < 0 {
			return -1
		}
		n, _ := number(row[res.col(name)])
		return n
	}
	series := func(res result, label string) map[string]bool {
		out := map[string]bool{}
		if i := res.col(label); i >= 0 {
			for _, row := range res.rows {
				out[fmt.Sprint(row[i])] = true
			}
		}
		return out
	}
	days := func(res result) int { return len(series(res, "time")) }

	// What the panels the seed names must show, keyed by panel title.
	checks := map[string]func(r deploycheck.QueryRange, res result) error{
		"Audit events recorded": func(r deploycheck.QueryRange, res result) error {
			if got, want := sumCol(res, "events"), truth(r, "uniqExact(id)", ""); got != want {
				return fmt.Errorf("%v events, the log holds %v", got, want)
			}
			return nil
		},
		"Audit log counts by event type and result": func(r deploycheck.QueryRange, res result) error {
			if got, want := sumCol(res, "total"), truth(r, "uniqExact(id)", ""); got != want || len(res.rows) != 4 {
				return fmt.Errorf("%d rows totalling %v; want the 4 event types totalling %v", len(res.rows), got, want)
			}
			denied := truth(r, "uniqExact(id)", "AND result = 'DENIED'")
			if got := sumCol(res, "denied"); got != denied {
				return fmt.Errorf("%v denied, the log holds %v", got, denied)
			}
			return nil
		},
		"Audit events per day by type": func(r deploycheck.QueryRange, res result) error {
			if d, s := days(res), series(res, "event_type"); d != 3 || len(s) != 4 {
				return fmt.Errorf("%d days of %v; want 3 days of the 4 event types", d, s)
			}
			if got, want := sumCol(res, "events"), truth(r, "uniqExact(id)", ""); got != want {
				return fmt.Errorf("%v events, the log holds %v", got, want)
			}
			return nil
		},
		"Audit events per day by result": func(r deploycheck.QueryRange, res result) error {
			if d, s := days(res), series(res, "result"); d != 3 || len(s) != 3 {
				return fmt.Errorf("%d days of %v; want 3 days of the 3 results", d, s)
			}
			return nil
		},
		"Active users": func(r deploycheck.QueryRange, res result) error {
			if got, want := sumCol(res, "active_users"), truth(r, "uniqExact(user_id)", "AND user_id != ''"); got != want || got < 5 {
				return fmt.Errorf("%v active users, the log has %v (at least the administrator, the viewer and 3 users of the history)", got, want)
			}
			return nil
		},
		"Active users per day": func(r deploycheck.QueryRange, res result) error {
			if days(res) != 3 {
				return fmt.Errorf("%d days; the history spans 3", days(res))
			}
			for _, row := range res.rows {
				day, _ := row[0].(time.Time)
				if got, want := at(res, row, "active_users"), truth(deploycheck.QueryRange{From: day, To: day}, "uniqExact(user_id)", "AND user_id != ''"); got != want {
					return fmt.Errorf("%s: %v active users, the log has %v", day.Format(time.DateOnly), got, want)
				}
			}
			return nil
		},
		"Most active users": func(r deploycheck.QueryRange, res result) error {
			if row := rowWhere(res, map[string]string{"user_id": adminID}); at(res, row, "auth") < 2 || at(res, row, "data") < 1 {
				return fmt.Errorf("the administrator's row %v lacks its logins and its command", row)
			}
			return nil
		},
		"Successful logins": func(r deploycheck.QueryRange, res result) error {
			if sumCol(res, "logins") < 2 {
				return fmt.Errorf("%v successful logins; the test logged in twice", sumCol(res, "logins"))
			}
			return nil
		},
		"Failed logins": func(r deploycheck.QueryRange, res result) error {
			if sumCol(res, "failed_logins") < 2 {
				return fmt.Errorf("%v failed logins; the test failed twice", sumCol(res, "failed_logins"))
			}
			return nil
		},
		"Permission denials": func(r deploycheck.QueryRange, res result) error {
			if sumCol(res, "denials") < 3 {
				return fmt.Errorf("%v denials; the viewer was refused 3 times", sumCol(res, "denials"))
			}
			return nil
		},
		"Logins per hour by result": func(r deploycheck.QueryRange, res result) error {
			if s := series(res, "result"); !s["SUCCESS"] || !s["FAILURE"] {
				return fmt.Errorf("series %v; want SUCCESS and FAILURE", s)
			}
			return nil
		},
		"Logins by hour of day (UTC)": func(r deploycheck.QueryRange, res result) error {
			// Bucket the raw login events in Go and compare hour by hour.
			want := map[string][2]float64{}
			for _, row := range raw(r, `SELECT DISTINCT toString(id) AS id, timestamp, toString(result) AS result FROM audit_logs
				WHERE $__timeFilter(timestamp) AND event_type = 'AUTH' AND action = 'login'`).rows {
				ts, _ := row[1].(time.Time)
				n := want[ts.UTC().Format("15")]
				if row[2] == "SUCCESS" {
					n[0]++
				} else {
					n[1]++
				}
				want[ts.UTC().Format("15")] = n
			}
			got := map[string][2]float64{}
			for _, row := range res.rows {
				got[fmt.Sprint(row[res.col("hour_utc")])] = [2]float64{at(res, row, "succeeded"), at(res, row, "failed")}
			}
			if !maps.Equal(got, want) || len(got) == 0 {
				return fmt.Errorf("by hour %v, the log says %v", got, want)
			}
			return nil
		},
		"Permission denials by permission": func(r deploycheck.QueryRange, res result) error {
			row := rowWhere(res, map[string]string{"permission": "audit:read", "action": "list_audit_logs"})
			if at(res, row, "denials") != 3 || at(res, row, "users") != 1 {
				return fmt.Errorf("audit:read on list_audit_logs: %v; want 3 denials by 1 user", row)
			}
			return nil
		},
		"Operations performed": func(r deploycheck.QueryRange, res result) error {
			if row := rowWhere(res, map[string]string{"action": "create_user", "resource": "user"}); at(res, row, "succeeded") < 1 {
				return fmt.Errorf("create_user: %v; the administrator created a user", row)
			}
			return nil
		},
	}

	qs := sqlQueries(t)
	if len(qs) < len(checks) {
		t.Fatalf("only %d ClickHouse queries in the dashboards", len(qs))
	}
	seen := map[string]bool{}
	for _, q := range qs {
		name := q.file + " / " + q.panel.Title
		seen[q.panel.Title] = true
		r, err := panelRange(q, now)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !strings.Contains(q.tg.RawSQL, "$__timeFilter") && !strings.Contains(q.tg.RawSQL, "$__dateFilter") {
			t.Errorf("%s: the query ignores the time picker (no $__timeFilter or $__dateFilter)", name)
		}
		sql, err := deploycheck.ExpandClickHouseMacros(q.tg.RawSQL, r)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if strings.Contains(sql, "$") {
			t.Errorf("%s: a dashboard variable is left after expansion: %s", name, sql)
			continue
		}
		qctx, cancel := context.WithTimeout(ctx, time.Minute)
		res, err := run(qctx, chs.Client, sql)
		cancel()
		if err != nil {
			t.Errorf("%s: %v\n%s", name, err, sql)
			continue
		}
		if err := shape(q, res); err != nil {
			t.Errorf("%s: %v\n%s", name, err, sql)
			continue
		}
		if check := checks[q.panel.Title]; check != nil {
			if err := check(r, res); err != nil {
				t.Errorf("%s: %v\n%s", name, err, sql)
			}
		}
	}
	for title := range checks {
		if !seen[title] {
			t.Errorf("no ClickHouse panel %q: the seed's dashboards name it", title)
		}
	}
}

// shape checks that a result is drawable by its panel: rows, a time column first for time
// series (ascending), one numeric row for a stat, the x field for a bar chart.
func shape(q sqlQuery, res result) error {
	if len(res.rows) == 0 {
		return fmt.Errorf("no rows")
	}
	numeric := 0
	for _, typ := range res.types {
		if numericType.MatchString(typ) {
			numeric++
		}
	}
	if numeric == 0 {
		return fmt.Errorf("no numeric column in %v %v", res.names, res.types)
	}
	switch q.panel.Type {
	case "timeseries":
		if res.names[0] != "time" || !strings.HasPrefix(res.types[0], "DateTime") {
			return fmt.Errorf("first column %s %s; a time series needs time (DateTime) first", res.names[0], res.types[0])
		}
		for i := 1; i < len(res.rows); i++ {
			a, okA := res.rows[i-1][0].(time.Time)
			b, okB := res.rows[i][0].(time.Time)
			if !okA || !okB || b.Before(a) {
				return fmt.Errorf("time goes back (or is not a time) at row %d", i)
			}
		}
	case "stat":
		if len(res.rows) != 1 || numeric != len(res.names) {
			return fmt.Errorf("%d rows of %v; a stat needs one numeric row", len(res.rows), res.types)
		}
	case "barchart":
		if i := res.col(q.panel.Options.XField); i < 0 || res.types[i] != "String" {
			return fmt.Errorf("x field %q not a String column of %v", q.panel.Options.XField, res.names)
		}
	}
	return nil
}
