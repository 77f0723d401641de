package service_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"testing"

	"github.com/telemetryflow/core/internal/platform/pagecursor"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/oas"
)

// Page cursors are sealed with a key derived from the KEK: two replicas sharing the database
// and the KEK honour each other's cursors, and a cursor that was changed in any byte, or that
// belongs to another list, is a 400 invalid_cursor.
func TestCursorsAreSealedAndSharedByReplicas(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			shared := []apitest.Option{
				apitest.WithEnv("TF_DATABASE_URL", dbtest.URL(t, dia)),
				apitest.WithEnv("TF_KEY_ENCRYPTION_KEY", base64.StdEncoding.EncodeToString([]byte("a shared kek of exactly 32 bytes"))),
			}
			a := apitest.Start(t, dia, shared...)
			b := apitest.Start(t, dia, shared...)
			rootA, rootB := a.LoginAdmin(t), b.LoginAdmin(t)
			for _, code := range []string{"cur-a", "cur-b", "cur-c", "cur-d", "cur-e"} {
				if _, err := rootA.CreateRegion(ctx, &oas.RegionCreate{Name: code, Code: code}); err != nil {
					t.Fatal(err)
				}
			}
			// A walk started on A goes on on B.
			first, err := rootA.ListRegions(ctx, oas.ListRegionsParams{Limit: oas.NewOptInt(2)})
			if err != nil || !first.NextCursor.Set {
				t.Fatalf("first page: %v", err)
			}
			seen := len(first.Items)
			for cursor := first.NextCursor; cursor.Set; {
				page, err := rootB.ListRegions(ctx, oas.ListRegionsParams{Limit: oas.NewOptInt(2), Cursor: cursor})
				if err != nil {
					t.Fatalf("A's cursor on B: %v", err)
				}
				if page.Total != first.Total {
					t.Fatalf("total %d on B, %d on A", page.Total, first.Total)
				}
				seen += len(page.Items)
				cursor = page.NextCursor
			}
			if seen != first.Total {
				t.Fatalf("walked %d of %d regions", seen, first.Total)
			}
			if err := a.Service.FlushAudit(ctx); err != nil { // the logins and creations, stored
				t.Fatal(err)
			}
			logs, err := rootA.ListAuditLogs(ctx, oas.ListAuditLogsParams{Limit: oas.NewOptInt(2)})
			if err != nil || !logs.NextCursor.Set {
				t.Fatalf("audit page: %v", err)
			}
			if _, err := rootB.ListAuditLogs(ctx, oas.ListAuditLogsParams{Limit: oas.NewOptInt(2), Cursor: logs.NextCursor}); err != nil {
				t.Fatalf("A's audit cursor on B: %v", err)
			}

			iam, audit := first.NextCursor.Value, logs.NextCursor.Value
			for name, call := range map[string]func() error{
				"IAM cursor, one byte changed": func() error {
					return errOnly(rootB.ListRegions(ctx, oas.ListRegionsParams{Limit: oas.NewOptInt(2), Cursor: oas.NewOptString(flip(t, iam))}))
				},
				"IAM cursor on another list": func() error {
					return errOnly(rootB.ListTenants(ctx, oas.ListTenantsParams{Cursor: oas.NewOptString(iam)}))
				},
				"IAM cursor with another filter": func() error {
					return errOnly(rootB.ListRegions(ctx, oas.ListRegionsParams{Limit: oas.NewOptInt(2), Q: oas.NewOptString("cur"), Cursor: oas.NewOptString(iam)}))
				},
				"audit cursor, one byte changed": func() error {
					return errOnly(rootB.ListAuditLogs(ctx, oas.ListAuditLogsParams{Cursor: oas.NewOptString(flip(t, audit))}))
				},
				"audit cursor on an IAM list": func() error {
					return errOnly(rootB.ListRegions(ctx, oas.ListRegionsParams{Cursor: oas.NewOptString(audit)}))
				},
				"IAM cursor on the audit list": func() error {
					return errOnly(rootB.ListAuditLogs(ctx, oas.ListAuditLogsParams{Cursor: oas.NewOptString(iam)}))
				},
				"audit cursor with another filter": func() error {
					return errOnly(rootB.ListAuditLogs(ctx, oas.ListAuditLogsParams{Action: oas.NewOptString("login"), Cursor: oas.NewOptString(audit)}))
				},
			} {
				var p *oas.ProblemStatusCodeWithHeaders
				if err := call(); !errors.As(err, &p) || p.StatusCode != http.StatusBadRequest || p.Response.Code != pagecursor.CodeInvalidCursor {
					t.Errorf("%s: %v, want 400 %s", name, err, pagecursor.CodeInvalidCursor)
				}
			}
		})
	}
}

// flip changes one bit in the middle of a cursor's decoded form.
func flip(t *testing.T, cursor string) string {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0x01
	return base64.RawURLEncoding.EncodeToString(b)
}
