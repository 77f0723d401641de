package auditsql_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/platform/sqldb"
	"github.com/telemetryflow/core/internal/store"
	"github.com/telemetryflow/core/internal/store/auditsql"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
)

// TestRetentionPurgesOldRowsInBatches: with a clock fixed by the test, a pass deletes exactly
// the rows older than the retention, in batches smaller than their number, and counts them in
// telemetryflow_audit_rows_purged_total; a second pass finds nothing; moving the clock a day
// purges the next day's rows.
func TestRetentionPurgesOldRowsInBatches(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		sink := auditsql.New(store.Open(db), db.SQL)
		now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
		var events []audit.Event
		add := func(n int, age time.Duration) {
			for i := range n {
				ts := now.Add(-age - time.Duration(i)*time.Minute)
				events = append(events, audit.Event{ID: uuid.New(), Timestamp: ts, CreatedAt: ts, EventType: audit.EventData,
					Result: audit.ResultSuccess, Action: "create_user", Metadata: "{}"})
			}
		}
		add(23, 91*24*time.Hour)             // beyond 90 days
		add(11, 90*24*time.Hour-2*time.Hour) // within, but gone a day later
		add(5, time.Hour)                    // fresh
		if err := sink.Write(ctx, events); err != nil {
			t.Fatal(err)
		}
		clock := now
		r, err := auditsql.NewRetention(auditsql.RetentionConfig{Sink: sink, Days: 90, Batch: 4, Now: func() time.Time { return clock }})
		if err != nil {
			t.Fatal(err)
		}
		reg := prometheus.NewRegistry()
		if err := r.Register(reg); err != nil {
			t.Fatal(err)
		}
		remaining := func() int {
			n, err := store.Open(db).AuditLog.Query().Count(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		for _, step := range []struct {
			advance      time.Duration
			purged, left int
			metric       float64
		}{
			{0, 23, 16, 23},
			{0, 0, 16, 23},
			{24 * time.Hour, 11, 5, 34},
		} {
			clock = clock.Add(step.advance)
			n, err := r.PurgeOnce(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n != step.purged || remaining() != step.left {
				t.Fatalf("at %v: purged %d (want %d), %d rows left (want %d)", clock, n, step.purged, remaining(), step.left)
			}
			if got := purgedMetric(t, reg); got != step.metric {
				t.Fatalf("rows purged metric %v, want %v", got, step.metric)
			}
		}
	})
}

// purgedMetric reads telemetryflow_audit_rows_purged_total from the registry.
func purgedMetric(t *testing.T, reg *prometheus.Registry) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == "telemetryflow_audit_rows_purged_total" {
			return mf.GetMetric()[0].GetCounter().GetValue()
		}
	}
	t.Fatal("telemetryflow_audit_rows_purged_total is not exported")
	return 0
}
