package auditparity_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/platform/chdb"
	"github.com/telemetryflow/core/internal/store"
	"github.com/telemetryflow/core/internal/store/auditch"
	"github.com/telemetryflow/core/internal/store/auditsql"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/audittest"
	"github.com/telemetryflow/core/internal/testutil/chtest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/oas"
)

// events is the audittest dataset plus events on both sides of every UTC midnight it spans,
// where a store that took days in another time zone, or rounded a timestamp, would disagree.
func events(d *audittest.Dataset) []audit.Event {
	out := slices.Clone(d.Events)
	i := 0
	for _, day := range d.Days {
		for _, at := range []time.Time{day.Add(-time.Millisecond), day, day.Add(time.Millisecond), day.Add(24*time.Hour - time.Millisecond)} {
			i++
			e := audit.Event{
				ID: uuid.Must(uuid.NewV7()), Timestamp: at, CreatedAt: at,
				UserID: d.U1, UserEmail: "u1@a.example", OrganizationID: d.OrgA, TenantID: d.TenantA,
				EventType: audit.EventType(1 + i%4), Result: audit.Result(1 + i%3), Action: "boundary", Resource: "user",
				Metadata: "{}",
			}
			if i%2 == 0 {
				e.UserID, e.UserEmail, e.OrganizationID, e.TenantID = d.U3, "u3@b.example", d.OrgB, d.TenantB
			}
			out = append(out, e)
		}
	}
	return out
}

func write(t *testing.T, s audit.Sink, events []audit.Event) {
	t.Helper()
	for start := 0; start < len(events); start += 50 {
		if err := s.Write(context.Background(), events[start:min(start+50, len(events))]); err != nil {
			t.Fatal(err)
		}
	}
}

// clickhouseStore is a migrated per-test ClickHouse database with the production sink.
func clickhouseStore(t *testing.T) *auditch.Sink {
	t.Helper()
	srv := chtest.New(t)
	return auditch.New(chtest.Migrated(t, chdb.Config{Addr: srv.Addr, Database: srv.Database, User: "default"}))
}

// ranges are [from, to) bounds around the dataset's days: unbounded, exact midnights, a
// millisecond either side, inside a day, empty and inverted.
func ranges(d *audittest.Dataset) [][2]time.Time {
	var zero time.Time
	ms := time.Millisecond
	return [][2]time.Time{
		{zero, zero},
		{d.Days[1], zero},
		{d.Days[1].Add(-ms), zero},
		{d.Days[1].Add(ms), zero},
		{zero, d.Days[2]},
		{zero, d.Days[2].Add(ms)},
		{zero, d.Days[1].Add(-ms)},
		{d.Days[0].Add(5 * time.Hour), d.Days[2].Add(3 * time.Hour)},
		{d.Days[1].Add(10 * time.Hour), d.Days[1].Add(11 * time.Hour)},
		{d.Days[1], d.Days[1]},
		{d.Days[2], d.Days[1]},
	}
}

func statsQueries(d *audittest.Dataset) []audit.StatsQuery {
	scopes := []audit.Scope{{All: true}, {OrganizationID: d.OrgA}, {OrganizationID: d.OrgB}, {}, {OrganizationID: "no-such-org"}}
	filters := []struct {
		t audit.EventType
		r audit.Result
	}{{0, 0}, {audit.EventAuth, 0}, {audit.EventAuthz, 0}, {audit.EventData, 0}, {audit.EventSystem, 0},
		{0, audit.ResultSuccess}, {0, audit.ResultFailure}, {0, audit.ResultDenied}, {audit.EventData, audit.ResultDenied}}
	var out []audit.StatsQuery
	for _, sc := range scopes {
		for _, f := range filters {
			for _, r := range ranges(d) {
				out = append(out, audit.StatsQuery{Scope: sc, EventType: f.t, Result: f.r, From: r[0], To: r[1]})
			}
		}
	}
	return out
}

func activityQueries(d *audittest.Dataset) []audit.ActivityQuery {
	scopes := []audit.Scope{{All: true}, {OrganizationID: d.OrgA}, {OrganizationID: d.OrgB}, {}}
	var out []audit.ActivityQuery
	for _, sc := range scopes {
		for _, u := range []string{d.U1, d.U2, d.U3, "", "nobody"} {
			for _, r := range ranges(d) {
				out = append(out, audit.ActivityQuery{Scope: sc, UserID: u, From: r[0], To: r[1]})
			}
		}
	}
	return out
}

// The same events in SQLite, PostgreSQL and ClickHouse give identical stats and user activity
// for every query: same rows, same order, same dates (midnight UTC), same counts.
func TestSQLStoresAnswerAsClickHouse(t *testing.T) {
	t.Parallel()
	d := audittest.NewDataset(600)
	evs := events(d)
	ch := clickhouseStore(t)
	write(t, ch, evs)
	sql := map[string]audittest.Store{}
	for _, dia := range dbtest.Dialects {
		db := dbtest.Open(t, dia)
		s := auditsql.New(store.Open(db), db.SQL)
		write(t, s, evs)
		sql[dia] = s
	}

	inDataset := func(q audit.StatsQuery) string { return describeStats(q, d) }
	if n := compared(t, "stats", statsQueries(d), ch, sql, audittest.Store.Stats, inDataset); n < 100 {
		t.Fatalf("only %d stats queries returned rows: the comparison proves little", n)
	}
	if n := compared(t, "activity", activityQueries(d), ch, sql, audittest.Store.UserActivity, describeActivity); n < 30 {
		t.Fatalf("only %d activity queries returned rows: the comparison proves little", n)
	}
}

// compared runs every query through read on ClickHouse and on each SQL store and reports each
// answer that differs from ClickHouse's. It answers how many queries ClickHouse found rows
// for: a comparison of empty answers proves little.
func compared[Q any, R comparable](t *testing.T, kind string, queries []Q, ch audittest.Store, sql map[string]audittest.Store,
	read func(audittest.Store, context.Context, Q) ([]R, error), describe func(Q) string,
) int {
	t.Helper()
	ctx := context.Background()
	nonEmpty := 0
	for i, q := range queries {
		want, err := read(ch, ctx, q)
		if err != nil {
			t.Fatalf("clickhouse %s %d: %v", kind, i, err)
		}
		if len(want) > 0 {
			nonEmpty++
		}
		for dia, s := range sql {
			got, err := read(s, ctx, q)
			if err != nil {
				t.Fatalf("%s %s %d: %v", dia, kind, i, err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s query %d %s differs:\n%s:        %v\nclickhouse: %v", kind, i, describe(q), dia, got, want)
			}
		}
	}
	return nonEmpty
}

func describeActivity(q audit.ActivityQuery) string {
	return fmt.Sprintf("(user %q, scope %+v, [%v, %v))", q.UserID, q.Scope, q.From, q.To)
}

func describeStats(q audit.StatsQuery, d *audittest.Dataset) string {
	scope := "all"
	switch {
	case q.Scope.All:
	case q.Scope.OrganizationID == d.OrgA:
		scope = "org A"
	case q.Scope.OrganizationID == d.OrgB:
		scope = "org B"
	default:
		scope = fmt.Sprintf("org %q", q.Scope.OrganizationID)
	}
	return fmt.Sprintf("(scope %s, type %v, result %v, [%v, %v))", scope, q.EventType, q.Result, q.From, q.To)
}

// server is a running service with the name of its audit store.
type server struct {
	store string
	srv   *apitest.Server
	admin *oas.Client
}

// storeOf returns a sink writing straight into the server's audit store, beside its pipeline.
func storeOf(t *testing.T, s server) audit.Sink {
	t.Helper()
	if s.store != "clickhouse" {
		db := s.srv.DB(t)
		return auditsql.New(db.Ent, db.SQL)
	}
	cfg := s.srv.Config.ClickHouse
	pool, err := chdb.Open(context.Background(), chdb.Config{Addr: cfg.Addr, Database: cfg.Database, User: "default"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return auditch.New(pool)
}

// The same events behind the HTTP API: GET /audit/stats and GET /audit/users/{id}/activity
// answer byte for byte alike whether the service keeps its audit log in SQLite, PostgreSQL or
// ClickHouse. The events lie at least two days in the past and every query ends before today,
// so the service's own events (logins of this test) stay out of the comparison.
func TestAuditEndpointsAnswerAlikeOnEveryStore(t *testing.T) {
	t.Parallel()
	d := audittest.NewDataset(400)
	const shift = -72 * time.Hour
	evs := events(d)
	for i := range evs {
		evs[i].Timestamp, evs[i].CreatedAt = evs[i].Timestamp.Add(shift), evs[i].CreatedAt.Add(shift)
	}
	day := func(i int) time.Time { return d.Days[i].Add(shift) }
	end := day(2).Add(24 * time.Hour) // the midnight after the last shifted event

	ch := chtest.New(t)
	servers := []server{
		{store: dialect.SQLite, srv: apitest.Start(t, dialect.SQLite)},
		{store: dialect.Postgres, srv: apitest.Start(t, dialect.Postgres)},
		{store: "clickhouse", srv: apitest.Start(t, dialect.Postgres,
			apitest.WithEnv("TF_CLICKHOUSE_ADDR", ch.Addr), apitest.WithEnv("TF_CLICKHOUSE_DATABASE", ch.Database))},
	}
	for i, s := range servers {
		write(t, storeOf(t, s), evs)
		servers[i].admin = s.srv.LoginAdmin(t)
	}

	ctx := context.Background()
	ms := time.Millisecond
	statsParams := []oas.GetAuditStatsParams{
		{To: oas.NewOptDateTime(end)},
		{From: oas.NewOptDateTime(day(1)), To: oas.NewOptDateTime(end)},
		{From: oas.NewOptDateTime(day(1).Add(-ms)), To: oas.NewOptDateTime(day(2).Add(ms))},
		{From: oas.NewOptDateTime(day(0).Add(5 * time.Hour)), To: oas.NewOptDateTime(day(1))},
		{To: oas.NewOptDateTime(end), EventType: oas.NewOptAuditEventType(oas.AuditEventTypeAUTHZ)},
		{To: oas.NewOptDateTime(end), Result: oas.NewOptAuditResult(oas.AuditResultDENIED)},
		{To: oas.NewOptDateTime(end), EventType: oas.NewOptAuditEventType(oas.AuditEventTypeDATA), Result: oas.NewOptAuditResult(oas.AuditResultFAILURE)},
	}
	type answers map[string][]byte
	collect := func(what string, call func(c *oas.Client) (any, int, error)) {
		t.Helper()
		got := answers{}
		for _, s := range servers {
			v, rows, err := call(s.admin)
			if err != nil {
				t.Fatalf("%s on %s: %v", what, s.store, err)
			}
			if rows == 0 {
				t.Fatalf("%s on %s: no rows; the comparison would prove nothing", what, s.store)
			}
			got[s.store], _ = json.Marshal(v)
		}
		for _, s := range servers[:2] {
			if !bytes.Equal(got[s.store], got["clickhouse"]) {
				t.Errorf("%s differs:\n%s: %s\nclickhouse: %s", what, s.store, got[s.store], got["clickhouse"])
			}
		}
	}
	for i, p := range statsParams {
		collect(fmt.Sprintf("stats %d", i), func(c *oas.Client) (any, int, error) {
			r, err := c.GetAuditStats(ctx, p)
			if err != nil {
				return nil, 0, err
			}
			return r, len(r.Items), nil
		})
	}
	for _, u := range []string{d.U1, d.U2, d.U3} {
		for i, r := range [][2]time.Time{{day(0), end}, {day(1).Add(-ms), day(2).Add(ms)}} {
			p := oas.GetAuditUserActivityParams{ID: uuid.MustParse(u), From: oas.NewOptDateTime(r[0]), To: oas.NewOptDateTime(r[1])}
			collect(fmt.Sprintf("activity of %s, range %d", u, i), func(c *oas.Client) (any, int, error) {
				a, err := c.GetAuditUserActivity(ctx, p)
				if err != nil {
					return nil, 0, err
				}
				return a, len(a.Items), nil
			})
		}
	}
}
