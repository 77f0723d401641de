package auditquery_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/oas"
)

// crossOrg is a server with organizations B and C beside the bootstrap super administrator's
// own (the default organization), each with an administrator (who holds audit:read).
type crossOrg struct {
	srv           *apitest.Server
	super         *oas.Client
	orgB, orgC    uuid.UUID
	adminB        *oas.Client
	adminC        *oas.Client
	viewerC       *oas.Client
	administrator uuid.UUID
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func newCrossOrg(t *testing.T, dia string, withCH bool) *crossOrg {
	t.Helper()
	ctx := context.Background()
	x := &crossOrg{srv: start(t, dia, withCH)}
	x.super = x.srv.LoginAdmin(t)
	roles := must[*oas.RoleList](t)(x.super.ListRoles(ctx, oas.ListRolesParams{Q: oas.NewOptString("administrator"), SystemRole: oas.NewOptBool(true)}))
	for _, r := range roles.Items {
		if r.Name == "administrator" {
			x.administrator = r.ID
		}
	}
	region := must[*oas.Region](t)(x.super.CreateRegion(ctx, &oas.RegionCreate{Name: "Region", Code: "r-" + uuid.NewString()[:8]}))
	tenant := must[*oas.Tenant](t)(x.super.CreateTenant(ctx, &oas.TenantCreate{Name: "Tenant", Slug: oas.Slug("t-" + uuid.NewString()[:8]), RegionID: region.ID}))
	org := func(slug string) uuid.UUID {
		return must[*oas.Organization](t)(x.super.CreateOrganization(ctx, &oas.OrganizationCreate{Name: slug, Slug: oas.Slug(slug), TenantID: tenant.ID})).ID
	}
	x.orgB, x.orgC = org("org-b"), org("org-c")
	x.adminB = x.member(t, x.orgB, "admin-b@example.com", x.administrator)
	x.adminC = x.member(t, x.orgC, "admin-c@example.com", x.administrator)
	x.viewerC = x.member(t, x.orgC, "viewer-c@example.com")
	return x
}

// member creates, activates and logs in a user of org with the given roles.
func (x *crossOrg) member(t *testing.T, org uuid.UUID, email string, roles ...uuid.UUID) *oas.Client {
	t.Helper()
	ctx := context.Background()
	u := must[*oas.User](t)(x.super.CreateUser(ctx, &oas.UserCreate{Email: email, Password: pw, FirstName: "M", LastName: "M", OrganizationID: org}))
	must[*oas.User](t)(x.super.ActivateUser(ctx, oas.ActivateUserParams{ID: u.ID}))
	for _, r := range roles {
		must[*oas.RoleGrant](t)(x.super.AssignUserRole(ctx, &oas.RoleRef{RoleID: r}, oas.AssignUserRoleParams{ID: u.ID}))
	}
	c, _ := x.srv.Login(t, email, pw)
	return c
}

// rowsAbout lists the DATA rows of action whose metadata names id, as the caller sees them.
func rowsAbout(t *testing.T, c *oas.Client, action string, id uuid.UUID) []oas.AuditLog {
	t.Helper()
	var out []oas.AuditLog
	for _, e := range listAll(t, c, oas.ListAuditLogsParams{Action: oas.NewOptString(action), EventType: oas.NewOptAuditEventType(oas.AuditEventTypeDATA)}) {
		var meta struct {
			ID uuid.UUID `json:"id"`
		}
		if err := json.Unmarshal([]byte(e.Metadata), &meta); err != nil {
			t.Fatalf("metadata %q: %v", e.Metadata, err)
		}
		if meta.ID == id {
			out = append(out, e)
		}
	}
	return out
}

// TestChangesAcrossOrganizationsAreVisibleToTheTarget: a super administrator of the default
// organization creates and updates a user in organization B and reads their roles (a
// sensitive read). B's administrator sees exactly one create_user, update_user and
// list_user_roles row for that user, with B as the target organization,
// in the list, by id, and in the daily stats; C's administrator sees none of them. A member
// of C refused (AUTHZ) when creating a user in B is visible to B as well. SQLite, PostgreSQL
// and ClickHouse.
func TestChangesAcrossOrganizationsAreVisibleToTheTarget(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, st auditStore) {
		ctx := context.Background()
		x := newCrossOrg(t, st.dia, st.ch)
		u := must[*oas.User](t)(x.super.CreateUser(ctx, &oas.UserCreate{Email: "target@example.com", Password: pw,
			FirstName: "T", LastName: "T", OrganizationID: x.orgB}))
		must[*oas.User](t)(x.super.UpdateUser(ctx, &oas.UserUpdate{FirstName: oas.NewOptString("Renamed")}, oas.UpdateUserParams{ID: u.ID}))
		must[*oas.RoleGrantList](t)(x.super.ListUserRoles(ctx, oas.ListUserRolesParams{ID: u.ID})) // a sensitive read
		// Authorization comes before decoding, so only a target named in the path is known
		// for a denial (a body's organization_id is never read for a caller who may not).
		_, err := x.viewerC.UpdateOrganization(ctx, &oas.OrganizationUpdate{Name: oas.NewOptString("Taken")},
			oas.UpdateOrganizationParams{ID: x.orgB})
		if status(err) != http.StatusForbidden {
			t.Fatalf("viewer of C updating organization B: %v", err)
		}
		x.srv.FlushAudit(t)

		b := x.orgB.String()
		for _, action := range []string{"create_user", "update_user", "list_user_roles"} {
			rows := rowsAbout(t, x.adminB, action, u.ID)
			if len(rows) != 1 {
				t.Fatalf("B's auditor sees %d %s rows for the user, want exactly 1", len(rows), action)
			}
			r := rows[0]
			if r.TargetOrganizationID != b || r.OrganizationID == b || r.UserEmail != apitest.AdminEmail || r.Result != oas.AuditResultSUCCESS {
				t.Fatalf("%s row %+v: want actor %s of another organization, target %s", action, r, apitest.AdminEmail, b)
			}
			if _, err := x.adminB.GetAuditLog(ctx, oas.GetAuditLogParams{ID: r.ID}); err != nil {
				t.Fatalf("B's auditor cannot read the row by id: %v", err)
			}
			if _, err := x.adminC.GetAuditLog(ctx, oas.GetAuditLogParams{ID: r.ID}); status(err) != http.StatusNotFound {
				t.Fatalf("C's auditor reads B's row by id: %v", err)
			}
			if rows := rowsAbout(t, x.adminC, action, u.ID); len(rows) != 0 {
				t.Fatalf("C's auditor sees %d %s rows about B's user", len(rows), action)
			}
			// And the super administrator sees the same single row.
			if rows := rowsAbout(t, x.super, action, u.ID); len(rows) != 1 || rows[0].ID != r.ID {
				t.Fatalf("super administrator sees %d %s rows", len(rows), action)
			}
		}

		denied := listAll(t, x.adminB, oas.ListAuditLogsParams{EventType: oas.NewOptAuditEventType(oas.AuditEventTypeAUTHZ),
			TargetOrganizationID: oas.NewOptString(b)})
		if len(denied) != 1 || denied[0].UserEmail != "viewer-c@example.com" || denied[0].Action != "update_organization" {
			t.Fatalf("B's auditor sees AUTHZ denials targeting B: %+v", denied)
		}
		if got := listAll(t, x.adminC, oas.ListAuditLogsParams{TargetOrganizationID: oas.NewOptString(b)}); len(got) != 1 || got[0].ID != denied[0].ID {
			// C sees its own member's denial (actor C), nothing else that targeted B.
			t.Fatalf("C's auditor filtering on target B sees %d rows: %+v", len(got), got)
		}

		// The daily counts agree with what the list shows, for both auditors.
		// Reading is audited too: each count is compared with the log as it stood then.
		for name, c := range map[string]*oas.Client{"B": x.adminB, "C": x.adminC} {
			at := settle(t, x.srv)
			stats := must[*oas.AuditStats](t)(c.GetAuditStats(ctx, oas.GetAuditStatsParams{EventType: oas.NewOptAuditEventType(oas.AuditEventTypeDATA)}))
			var counted int64
			for _, r := range stats.Items {
				counted += r.Count
			}
			listed := listAll(t, c, oas.ListAuditLogsParams{EventType: oas.NewOptAuditEventType(oas.AuditEventTypeDATA), To: oas.NewOptDateTime(at)})
			if counted != int64(len(listed)) {
				t.Fatalf("auditor of %s: stats count %d DATA events, the list shows %d", name, counted, len(listed))
			}
		}
	})
}
