package auditch_test

import (
	"context"
	"testing"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/testutil/audittest"
)

// Stats come from the audit_logs_stats summary (kept by the materialized view), not from a
// scan of audit_logs: a row written only to the summary shows up.
func TestStatsReadTheSummaryTable(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	events := audittest.Sample(10)
	if err := s.Write(ctx, events); err != nil {
		t.Fatal(err)
	}
	day := audittest.Base().Format("2006-01-02")
	s.exec(t, "INSERT INTO audit_logs_stats VALUES ('"+day+"', 'only-in-summary', 'AUTH', 'DENIED', 7)")
	rows, err := s.Stats(ctx, audit.StatsQuery{Scope: audit.Scope{All: true}})
	if err != nil {
		t.Fatal(err)
	}
	want := []audit.StatsRow{
		{Date: audittest.Base().Truncate(24 * 3600e9), EventType: audit.EventAuth, Result: audit.ResultDenied, Count: 7},
		{Date: audittest.Base().Truncate(24 * 3600e9), EventType: audit.EventData, Result: audit.ResultSuccess, Count: 10},
	}
	if len(rows) != 2 || rows[0] != want[0] || rows[1] != want[1] {
		t.Fatalf("got %v, want %v", rows, want)
	}
}
