package auth_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/telemetryflow/core/internal/platform/sqldb"
	"github.com/telemetryflow/core/internal/store/storetest"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/internal/testutil/metrictest"
	"github.com/telemetryflow/core/oas"
)

// counter reads one labelled counter from the server's registry.
func counter(t *testing.T, srv *apitest.Server, name, label, value string) float64 {
	t.Helper()
	return metrictest.Sum(t, srv.Service.Registry(), name, map[string]string{label: value})
}

// A flood of failed authentications from one address is counted exactly (metrics and the
// audit rows' counts) in a bounded number of audit rows, and nothing held back is lost when
// the service shuts down. The clock stands still, so the coalescing window never ends by itself.
func TestFailureFloodIsCoalescedAndCountedExactly(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			clock := apitest.NewClock()
			srv := apitest.Start(t, dia, apitest.WithClock(clock.Now), apitest.WithEnv("TF_LOGIN_RATE_PER_IP", "1000"))
			for range 50 {
				if resp := rawGet(t, srv.URL+"/api/v2/users", "Bearer not.a.jwt"); resp.StatusCode != http.StatusUnauthorized {
					t.Fatalf("status %d", resp.StatusCode)
				}
			}
			for range 20 {
				_, err := srv.Client.Login(ctx, &oas.LoginRequest{Email: "nobody@example.com", Password: "wrong-password"})
				problemOf(t, err, 401)
			}
			db := srv.DB(t)
			if n, rows := auditEvents(t, db, "token_rejected", "malformed"); n != 50 || rows != 2 {
				t.Fatalf("token_rejected: %d events in %d rows, want 50 in 2", n, rows)
			}
			if n, rows := auditEvents(t, db, "login", "unknown_account"); n != 20 || rows != 2 {
				t.Fatalf("failed logins: %d events in %d rows, want 20 in 2", n, rows)
			}
			if v := counter(t, srv, "telemetryflow_auth_tokens_rejected_total", "reason", "malformed"); v != 50 {
				t.Fatalf("tokens_rejected_total %v", v)
			}
			// Five wrong passwords, then fifteen refused while the (phantom) lock holds.
			if v, l := counter(t, srv, "telemetryflow_auth_logins_total", "result", "invalid_credentials"),
				counter(t, srv, "telemetryflow_auth_logins_total", "result", "locked"); v != 5 || l != 15 {
				t.Fatalf("logins_total invalid %v locked %v", v, l)
			}

			// Held back at shutdown: Close records them.
			for range 10 {
				rawGet(t, srv.URL+"/api/v2/users", "Bearer not.a.jwt")
			}
			if err := srv.Service.Close(); err != nil {
				t.Fatal(err)
			}
			after, err := sqldb.Open(ctx, sqldb.Config{URL: srv.Config.Database.URL, DataDir: srv.Config.Database.DataDir})
			if err != nil {
				t.Fatal(err)
			}
			defer after.Close()
			if n, rows := auditEvents(t, storetest.Wrap(after), "token_rejected", "malformed"); n != 60 || rows != 4 {
				t.Fatalf("after shutdown: %d events in %d rows, want 60 in 4", n, rows)
			}
		})
	}
}

// TF_FAILED_AUTH_AUDIT_WINDOW=0 turns coalescing off: a row per failure.
func TestFailureAuditWindowZeroRecordsEachFailure(t *testing.T) {
	t.Parallel()
	srv := apitest.Start(t, dbtest.Dialects[0], apitest.WithEnv("TF_FAILED_AUTH_AUDIT_WINDOW", "0"))
	for range 5 {
		rawGet(t, srv.URL+"/api/v2/users", "Bearer not.a.jwt")
	}
	if n, rows := auditEvents(t, srv.DB(t), "token_rejected", "malformed"); n != 5 || rows != 5 {
		t.Fatalf("%d events in %d rows, want 5 in 5", n, rows)
	}
}
