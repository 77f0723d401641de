package auditch_test

import (
	"context"
	"testing"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/testutil/audittest"
)

// User activity comes from audit_logs_user_activity; anonymous events are not in it.
func TestUserActivityReadsTheSummaryTable(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	events := audittest.Sample(4)
	events[0].UserID = ""
	events[2].UserID, events[3].UserID = events[1].UserID, events[1].UserID
	if err := s.Write(ctx, events); err != nil {
		t.Fatal(err)
	}
	if n := s.count(t, "SELECT count() AS n FROM audit_logs_user_activity WHERE user_id = ''"); n != 0 {
		t.Fatalf("%d anonymous rows in the activity summary", n)
	}
	day := audittest.Base().Format("2006-01-02")
	s.exec(t, "INSERT INTO audit_logs_user_activity VALUES ('"+day+"', '"+events[1].UserID+"', '"+events[1].OrganizationID+"', 'SYSTEM', 5)")
	rows, err := s.UserActivity(ctx, audit.ActivityQuery{Scope: audit.Scope{All: true}, UserID: events[1].UserID})
	if err != nil {
		t.Fatal(err)
	}
	d := audittest.Base().Truncate(24 * 3600e9)
	if len(rows) != 2 || rows[0] != (audit.ActivityRow{Date: d, EventType: audit.EventData, Count: 3}) ||
		rows[1] != (audit.ActivityRow{Date: d, EventType: audit.EventSystem, Count: 5}) {
		t.Fatalf("got %v", rows)
	}
}
