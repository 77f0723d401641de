package auditsql_test

import (
	"bufio"
	"context"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/oas"
)

// TestRetentionAppliesToTheSQLStore: a real server on the SQL audit store with
// TF_AUDIT_RETENTION_DAYS=1 and a clock the test moves. While the events are fresh a pass
// deletes nothing; two days later it deletes every stored event (the list's own DATA row
// included), the list (through the generated client) no longer shows them, and /metrics
// counts them.
func TestRetentionAppliesToTheSQLStore(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			var shift atomic.Int64
			now := func() time.Time { return time.Now().Add(time.Duration(shift.Load())) }
			srv := apitest.Start(t, dia, apitest.WithEnv("TF_AUDIT_RETENTION_DAYS", "1"), apitest.WithClock(now))
			admin := srv.LoginAdmin(t)
			if _, err := srv.Client.Login(ctx, &oas.LoginRequest{Email: "nobody@example.com", Password: "wrong-password-123"}); err == nil {
				t.Fatal("unknown account logged in")
			}
			srv.FlushAudit(t)
			before := len(listAll(t, admin))
			if before < 2 {
				t.Fatalf("%d events stored before the purge", before)
			}
			// Reading the audit log is audited: the list's own row is stored too.
			srv.FlushAudit(t)
			before++
			if n, err := srv.Service.PurgeAudit(ctx); err != nil || n != 0 {
				t.Fatalf("fresh events purged: %d %v", n, err)
			}

			shift.Store(int64(48 * time.Hour))
			purged, err := srv.Service.PurgeAudit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if purged != before {
				t.Fatalf("purged %d rows, %d were stored", purged, before)
			}
			if got := purgedOnMetrics(t, srv); got != float64(purged) {
				t.Fatalf("/metrics says %v rows purged, want %d", got, purged)
			}
			// A new login (the old token has expired on the moved clock) lists only what
			// happened after the purge.
			admin = srv.LoginAdmin(t)
			srv.FlushAudit(t)
			for _, e := range listAll(t, admin) {
				if e.Action != "login" {
					t.Fatalf("an event older than the retention survived: %+v", e)
				}
			}
		})
	}
}

func listAll(t *testing.T, c *oas.Client) []oas.AuditLog {
	t.Helper()
	page, err := c.ListAuditLogs(context.Background(), oas.ListAuditLogsParams{Limit: oas.NewOptInt(1000)})
	if err != nil {
		t.Fatal(err)
	}
	return page.Items
}

func purgedOnMetrics(t *testing.T, srv *apitest.Server) float64 {
	t.Helper()
	resp := srv.Get(t, "/metrics")
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "telemetryflow_audit_rows_purged_total "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
	}
	t.Fatal("telemetryflow_audit_rows_purged_total is not on /metrics")
	return 0
}
