package chtest_test

import (
	"context"
	"testing"
	"time"

	"github.com/ClickHouse/ch-go"
	"github.com/ClickHouse/ch-go/proto"
	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/testutil/chtest"
)

// The schema mirrors what the audit log needs from ClickHouse, so this test
// fails if the dev server lacks a feature production relies on.
const (
	actionEnum = `Enum8('login' = 1, 'logout' = 2, 'role_granted' = 3)`

	createEvents = `CREATE TABLE audit_events (
		event_id    UUID,
		occurred_at DateTime64(3, 'UTC'),
		tenant_id   String,
		action      ` + actionEnum + `
	) ENGINE = MergeTree
	PARTITION BY toYYYYMM(occurred_at)
	ORDER BY (tenant_id, occurred_at, event_id)
	TTL toDateTime(occurred_at) + INTERVAL 90 DAY`

	createDaily = `CREATE TABLE audit_daily (
		day       Date,
		tenant_id String,
		action    ` + actionEnum + `,
		events    UInt64
	) ENGINE = SummingMergeTree
	ORDER BY (day, tenant_id, action)`

	createDailyMV = `CREATE MATERIALIZED VIEW audit_daily_mv TO audit_daily AS
	SELECT toDate(occurred_at) AS day, tenant_id, action, count() AS events
	FROM audit_events
	GROUP BY day, tenant_id, action`
)

type event struct {
	id     uuid.UUID
	at     time.Time
	tenant string
	action string
}

func TestAuditSchemaRoundTrip(t *testing.T) {
	s := chtest.New(t)
	ctx := t.Context()

	t.Logf("server %s, database %s", s.Client.ServerInfo(), s.Database)
	for _, q := range []string{createEvents, createDaily, createDailyMV} {
		s.Exec(t, q)
	}

	// 40 days back is always another calendar month, so two partitions; both
	// are inside the 90-day TTL. The 200-day-old row must be removed by TTL.
	recent := time.Now().UTC().Truncate(24 * time.Hour).Add(10*time.Hour + 123*time.Millisecond)
	older := recent.AddDate(0, 0, -40)
	expired := recent.AddDate(0, 0, -200)
	batch1 := []event{
		{uuid.New(), recent, "acme", "login"},
		{uuid.New(), recent.Add(time.Second), "acme", "login"},
		{uuid.New(), older, "globex", "logout"},
	}
	// A second insert makes a second part, so the SummingMergeTree has to
	// combine rows with the same key across parts.
	batch2 := []event{
		{uuid.New(), recent.Add(2*time.Second + 456*time.Millisecond), "acme", "role_granted"},
		{uuid.New(), recent.Add(3 * time.Second), "acme", "login"},
		{uuid.New(), expired, "acme", "logout"},
	}
	insertEvents(ctx, t, s.Client, batch1)
	insertEvents(ctx, t, s.Client, batch2)

	if n := count(ctx, t, s.Client, `SELECT uniqExact(partition) FROM system.parts
		WHERE database = currentDatabase() AND table = 'audit_events' AND active`); n != 3 {
		t.Errorf("audit_events partitions = %d, want 3 (one per month)", n)
	}

	s.Exec(t, "OPTIMIZE TABLE audit_events FINAL")
	want := append(append([]event{}, batch1...), batch2[:2]...) // minus the expired row
	got := selectEvents(ctx, t, s.Client)
	if len(got) != len(want) {
		t.Fatalf("got %d events after TTL, want %d: %+v", len(got), len(want), got)
	}
	byID := make(map[uuid.UUID]event, len(got))
	for _, e := range got {
		byID[e.id] = e
	}
	for _, w := range want {
		g, ok := byID[w.id]
		switch {
		case !ok:
			t.Errorf("event %s missing", w.id)
		case !g.at.Equal(w.at) || g.at.Location().String() != "UTC":
			t.Errorf("event %s occurred_at = %v, want %v (UTC, millisecond precision)", w.id, g.at, w.at)
		case g.tenant != w.tenant || g.action != w.action:
			t.Errorf("event %s = %s/%s, want %s/%s", w.id, g.tenant, g.action, w.tenant, w.action)
		}
	}

	// The MV saw every insert, including the row TTL removed later.
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	wantDaily := map[string]uint64{
		day(recent) + "/acme/login":        3,
		day(recent) + "/acme/role_granted": 1,
		day(older) + "/globex/logout":      1,
		day(expired) + "/acme/logout":      1,
	}
	assertDaily(ctx, t, s.Client, "SELECT day, tenant_id, action, sum(events) AS events FROM audit_daily GROUP BY day, tenant_id, action", wantDaily)

	// After a final merge the engine itself must have summed the rows.
	s.Exec(t, "OPTIMIZE TABLE audit_daily FINAL")
	if n := count(ctx, t, s.Client, "SELECT count() FROM audit_daily"); n != uint64(len(wantDaily)) {
		t.Errorf("audit_daily rows after OPTIMIZE FINAL = %d, want %d", n, len(wantDaily))
	}
	assertDaily(ctx, t, s.Client, "SELECT day, tenant_id, action, events FROM audit_daily", wantDaily)
}

func insertEvents(ctx context.Context, t *testing.T, c *ch.Client, events []event) {
	t.Helper()
	var (
		id     proto.ColUUID
		at     = new(proto.ColDateTime64).WithPrecision(proto.PrecisionMilli)
		tenant proto.ColStr
		action proto.ColEnum // mapping is inferred from the server's header
	)
	for _, e := range events {
		id.Append(e.id)
		at.Append(e.at)
		tenant.Append(e.tenant)
		action.Append(e.action)
	}
	input := proto.Input{
		{Name: "event_id", Data: &id},
		{Name: "occurred_at", Data: at},
		{Name: "tenant_id", Data: &tenant},
		{Name: "action", Data: &action},
	}
	if err := c.Do(ctx, ch.Query{Body: input.Into("audit_events"), Input: input}); err != nil {
		t.Fatalf("insert: %v", err)
	}
}

func selectEvents(ctx context.Context, t *testing.T, c *ch.Client) []event {
	t.Helper()
	var (
		id     proto.ColUUID
		at     proto.ColDateTime64
		tenant proto.ColStr
		action proto.ColEnum
		out    []event
	)
	err := c.Do(ctx, ch.Query{
		Body: "SELECT event_id, occurred_at, tenant_id, action FROM audit_events",
		Result: proto.Results{
			{Name: "event_id", Data: &id},
			{Name: "occurred_at", Data: &at},
			{Name: "tenant_id", Data: &tenant},
			{Name: "action", Data: &action},
		},
		// Columns are reused between blocks, so copy rows out per block.
		OnResult: func(context.Context, proto.Block) error {
			for i := range id.Rows() {
				out = append(out, event{id.Row(i), at.Row(i), tenant.Row(i), action.Row(i)})
			}
			return nil
		},
	})
	if err != nil {
		t.Fatalf("select events: %v", err)
	}
	return out
}

func assertDaily(ctx context.Context, t *testing.T, c *ch.Client, query string, want map[string]uint64) {
	t.Helper()
	var (
		day    proto.ColDate
		tenant proto.ColStr
		action proto.ColEnum
		events proto.ColUInt64
		got    = map[string]uint64{}
	)
	err := c.Do(ctx, ch.Query{
		Body: query,
		Result: proto.Results{
			{Name: "day", Data: &day},
			{Name: "tenant_id", Data: &tenant},
			{Name: "action", Data: &action},
			{Name: "events", Data: &events},
		},
		OnResult: func(context.Context, proto.Block) error {
			for i := range day.Rows() {
				got[day.Row(i).Format(time.DateOnly)+"/"+tenant.Row(i)+"/"+action.Row(i)] += events.Row(i)
			}
			return nil
		},
	})
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	if len(got) != len(want) {
		t.Errorf("%s: got %v, want %v", query, got, want)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %s = %d, want %d", query, k, got[k], w)
		}
	}
}

func count(ctx context.Context, t *testing.T, c *ch.Client, query string) uint64 {
	t.Helper()
	var n proto.ColUInt64
	if err := c.Do(ctx, ch.Query{Body: query, Result: proto.Results{{Name: "", Data: &n}}}); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	if n.Rows() != 1 {
		t.Fatalf("%s: %d rows, want 1", query, n.Rows())
	}
	return n.Row(0)
}
