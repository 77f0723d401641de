package auditquery_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/store/seed"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/oas"
)

// readRow is what a test expects of a read's DATA row: action, resource, result, the id the
// read named (metadata "id") and the target organization.
type readRow struct {
	action, resource, result, id, target string
}

func (r readRow) String() string {
	return fmt.Sprintf("%s %s %s id=%s target=%s", r.action, r.resource, r.result, r.id, r.target)
}

// readsOutcome is what one run of everyReadOnce did, to build the expected rows from.
type readsOutcome struct {
	reader, subject, event, missing string
	defaultOrg, demoOrg             string
}

// everyReadOnce makes each kind of read once as reader (a super administrator of the default
// organization) about subject (a user of the demo organization): IAM reads, a 404, reads of
// the audit trail (one of them a 404), the decision API about another user and about
// oneself, and the caller's own profile.
func everyReadOnce(t *testing.T, srv *apitest.Server, reader *oas.Client, o readsOutcome) readsOutcome {
	t.Helper()
	ctx := context.Background()
	subject, missing := uuid.MustParse(o.subject), uuid.MustParse(o.missing)
	must[*oas.User](t)(reader.GetUser(ctx, oas.GetUserParams{ID: subject}))
	must[*oas.UserList](t)(reader.ListUsers(ctx, oas.ListUsersParams{OrganizationID: oas.NewOptUUID(uuid.MustParse(o.demoOrg))}))
	if _, err := reader.GetUser(ctx, oas.GetUserParams{ID: missing}); status(err) != http.StatusNotFound {
		t.Fatalf("unknown user: %v", err)
	}
	must[*oas.Me](t)(reader.GetMe(ctx))
	must[*oas.RoleGrantList](t)(reader.ListUserRoles(ctx, oas.ListUserRolesParams{ID: subject}))
	must[*oas.AuthzCheckResponse](t)(reader.CheckAuthorization(ctx, &oas.AuthzCheckRequest{Checks: []oas.AuthzCheck{
		{UserID: oas.NewOptUUID(subject), Permission: "user:read"}, {UserID: oas.NewOptUUID(subject), Permission: "audit:read"}}}))
	must[*oas.AuthzCheckResponse](t)(reader.CheckAuthorization(ctx, &oas.AuthzCheckRequest{Checks: []oas.AuthzCheck{{Permission: "user:read"}}}))

	srv.FlushAudit(t) // the reader's login row, for the audit reads below
	logins := must[*oas.AuditLogList](t)(reader.ListAuditLogs(ctx, oas.ListAuditLogsParams{
		UserID: oas.NewOptString(o.reader), Action: oas.NewOptString("login")}))
	if len(logins.Items) != 1 {
		t.Fatalf("reader's logins: %d", len(logins.Items))
	}
	o.event = logins.Items[0].ID.String()
	must[*oas.AuditLog](t)(reader.GetAuditLog(ctx, oas.GetAuditLogParams{ID: logins.Items[0].ID}))
	if _, err := reader.GetAuditLog(ctx, oas.GetAuditLogParams{ID: missing}); status(err) != http.StatusNotFound {
		t.Fatalf("unknown audit event: %v", err)
	}
	must[*oas.AuditStats](t)(reader.GetAuditStats(ctx, oas.GetAuditStatsParams{}))
	must[*oas.AuditUserActivity](t)(reader.GetAuditUserActivity(ctx, oas.GetAuditUserActivityParams{ID: subject}))
	res := must[oas.ExportAuditLogsRes](t)(reader.ExportAuditLogs(ctx, oas.ExportAuditLogsParams{UserID: oas.NewOptString(o.reader)}))
	if _, err := io.ReadAll(res.(*oas.ExportAuditLogsOKApplicationXNdjson).Data); err != nil {
		t.Fatal(err)
	}
	return o
}

// expectedReads are the DATA rows everyReadOnce leaves under each TF_AUDIT_READS setting.
func expectedReads(setting string, o readsOutcome) []readRow {
	const ok, failed = "SUCCESS", "FAILURE"
	ordinary := []readRow{
		{"get_user", "user", ok, o.subject, o.demoOrg},
		{"list_users", "user", ok, "", o.demoOrg},
		{"get_user", "user", failed, o.missing, ""},
		{"get_me", "user", ok, o.reader, o.defaultOrg},
		{"check_authorization", "authorization", ok, o.reader, o.defaultOrg}, // about oneself
	}
	sensitive := []readRow{
		{"list_user_roles", "user", ok, o.subject, o.demoOrg},
		{"check_authorization", "authorization", ok, o.subject, o.demoOrg}, // about another user
	}
	trail := []readRow{
		{"list_audit_logs", "audit_log", ok, "", o.defaultOrg},
		{"get_audit_log", "audit_log", ok, o.event, o.defaultOrg},
		{"get_audit_log", "audit_log", failed, o.missing, ""},
		{"get_audit_stats", "audit_log", ok, "", o.defaultOrg},
		{"get_audit_user_activity", "audit_log", ok, o.subject, o.defaultOrg},
		{"export_audit_logs", "audit_log", ok, "", o.defaultOrg},
	}
	switch setting {
	case "all":
		return slices.Concat(ordinary, sensitive, trail)
	case "sensitive":
		return slices.Concat(sensitive, trail)
	default:
		return trail
	}
}

// TestEveryExecutedReadLeavesADataRow: the seed's permission-check flow ends every authorized,
// executed request with "Log: DATA SUCCESS". With the default TF_AUDIT_READS=all each read
// leaves exactly one DATA row naming the operation, the id read and the target organization
// (a 404 is a FAILURE naming the id asked for; a list filtered on an organization outside the
// caller's scope names the caller's own); sensitive keeps only who-holds-what reads; none keeps
// none — but reading the audit trail is recorded whatever the setting. A read the gate refuses
// is one AUTHZ DENIED row and no DATA row. Rows hold what was asked, never what was answered. Default on SQLite, PostgreSQL and ClickHouse; the other settings on SQLite and
// PostgreSQL (the rule sits above the store).
func TestEveryExecutedReadLeavesADataRow(t *testing.T) {
	t.Parallel()
	type run struct {
		name, setting, dia string
		ch                 bool
	}
	var runs []run
	for _, st := range stores() {
		runs = append(runs, run{"all/" + st.name, "all", st.dia, st.ch})
	}
	for _, setting := range []string{"sensitive", "none"} {
		for _, dia := range dbtest.Dialects {
			runs = append(runs, run{setting + "/" + dia, setting, dia, false})
		}
	}
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			srv := startWith(t, r.dia, r.ch, apitest.WithEnv("TF_AUDIT_READS", r.setting))
			readerID := srv.CreateUser(t, apitest.UserSpec{Email: "reader@example.com", Password: pw, Roles: []string{rbac.RoleSuperAdministrator}})
			subjectID := srv.CreateUser(t, apitest.UserSpec{Email: "subject@example.com", Password: pw, OrgSlug: seed.DemoSlug, Roles: []string{rbac.RoleViewer}})
			viewerID := srv.CreateUser(t, apitest.UserSpec{Email: "viewer@example.com", Password: pw, Roles: []string{rbac.RoleViewer}})
			admin := srv.LoginAdmin(t)
			reader, _ := srv.Login(t, "reader@example.com", pw)
			viewer, _ := srv.Login(t, "viewer@example.com", pw)

			o := everyReadOnce(t, srv, reader, readsOutcome{reader: readerID.String(), subject: subjectID.String(),
				missing: uuid.NewString(), defaultOrg: srv.OrganizationID(t, seed.DefaultSlug).String(),
				demoOrg: srv.OrganizationID(t, seed.DemoSlug).String()})
			if _, err := viewer.ListAuditLogs(context.Background(), oas.ListAuditLogsParams{}); status(err) != http.StatusForbidden {
				t.Fatalf("viewer reading the audit log: %v", err)
			}
			// A filter on an organization outside the caller's scope lists nothing of it, so
			// the row names the caller's own organization, not the one asked for.
			if got := must[*oas.UserList](t)(viewer.ListUsers(context.Background(), oas.ListUsersParams{
				OrganizationID: oas.NewOptUUID(uuid.MustParse(o.demoOrg))})); len(got.Items) != 0 {
				t.Fatalf("viewer lists %d users of another organization", len(got.Items))
			}
			upTo := oas.NewOptDateTime(settle(t, srv))

			var got []string
			for _, e := range listAll(t, admin, oas.ListAuditLogsParams{UserID: oas.NewOptString(o.reader),
				EventType: oas.NewOptAuditEventType(oas.AuditEventTypeDATA), To: upTo}) {
				var meta struct {
					ID string `json:"id"`
				}
				if err := json.Unmarshal([]byte(e.Metadata), &meta); err != nil {
					t.Fatalf("metadata %q: %v", e.Metadata, err)
				}
				got = append(got, readRow{e.Action, e.Resource, string(e.Result), meta.ID, e.TargetOrganizationID}.String())
				if strings.Contains(e.Metadata, "subject@example.com") {
					t.Errorf("%s row holds what was answered: %s", e.Action, e.Metadata)
				}
				if e.Result == oas.AuditResultFAILURE && !strings.Contains(e.ErrorMessage, "not_found") {
					t.Errorf("%s failure says %q", e.Action, e.ErrorMessage)
				}
			}
			var want []string
			for _, w := range expectedReads(r.setting, o) {
				want = append(want, w.String())
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("TF_AUDIT_READS=%s: the reader's DATA rows are\n  %s\nwant\n  %s", r.setting,
					strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}

			viewerRows := listAll(t, admin, oas.ListAuditLogsParams{UserID: oas.NewOptString(viewerID.String()), To: upTo})
			var kinds []string
			for _, e := range viewerRows {
				kinds = append(kinds, string(e.EventType)+" "+e.Action+" "+string(e.Result)+" target="+e.TargetOrganizationID)
			}
			slices.Sort(kinds)
			// The refused read is one AUTHZ row and no DATA row.
			wantKinds := []string{"AUTH login SUCCESS target=", "AUTHZ list_audit_logs DENIED target="}
			if r.setting == "all" {
				wantKinds = append(wantKinds, "DATA list_users SUCCESS target="+o.defaultOrg)
			}
			if !slices.Equal(kinds, wantKinds) {
				t.Fatalf("the viewer's rows are %v, want %v", kinds, wantKinds)
			}
		})
	}
}
