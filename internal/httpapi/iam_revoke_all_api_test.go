package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/oas"
)

// TestRevokeAllUserRoles: the seed's "Revoke All Roles" (HasRole → NoRole) takes every direct
// role in one request; direct permissions and group memberships stay; the user's next request
// already sees it; the acting-on and last-super-administrator rules apply; each call leaves a
// DATA audit row.
func TestRevokeAllUserRoles(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, a *api) {
		root := a.root
		_, _, o := a.hierarchy(t)
		_, admin := a.user(t, o.ID, a.systemRole(t, "administrator"))
		viewer, developer := a.systemRole(t, "viewer"), a.systemRole(t, "developer")
		sharer := ok(root.CreateRole(bg, &oas.RoleCreate{Name: "sharer", Tier: 3, OrganizationID: oas.NewOptUUID(o.ID)}))(t)
		ok(root.AddRolePermission(bg, &oas.PermissionRef{PermissionID: a.permission(t, "dashboard:share")}, oas.AddRolePermissionParams{ID: sharer.ID}))(t)
		grp := ok(root.CreateGroup(bg, &oas.GroupCreate{Name: "readers", OrganizationID: o.ID}))(t)
		ok(root.AddGroupRole(bg, &oas.RoleRef{RoleID: viewer}, oas.AddGroupRoleParams{ID: grp.ID}))(t)

		u, uc := a.user(t, o.ID, developer, sharer.ID)
		ok(root.GrantUserPermission(bg, &oas.PermissionRef{PermissionID: a.permission(t, "audit:export")}, oas.GrantUserPermissionParams{ID: u.ID}))(t)
		ok(0, root.AddGroupMember(bg, &oas.UserRef{UserID: u.ID}, oas.AddGroupMemberParams{ID: grp.ID}))(t)
		// The developer role lets u create workspaces; this also warms u's cached decision.
		ok(uc.CreateWorkspace(bg, &oas.WorkspaceCreate{Name: "W", Slug: oas.Slug(unique("w")), OrganizationID: o.ID}))(t)

		// The administrator holds everything a developer and the sharer role carry.
		ok(0, admin.RevokeAllUserRoles(bg, oas.RevokeAllUserRolesParams{ID: u.ID}))(t)
		if l := ok(root.ListUserRoles(bg, oas.ListUserRolesParams{ID: u.ID}))(t); l.Total != 0 {
			t.Fatalf("roles left: %+v", l)
		}
		// u's very next request is decided without the roles.
		problem(t, errOf(uc.CreateWorkspace(bg, &oas.WorkspaceCreate{Name: "W", Slug: oas.Slug(unique("w")), OrganizationID: o.ID})),
			http.StatusForbidden, "permission_denied")
		// Direct permissions and group memberships stay.
		eff := effective(t, a, u.ID)
		if s := eff["audit:export"]; len(s) != 1 || s[0].Kind != oas.GrantSourceKindDirect {
			t.Fatalf("audit:export %+v", s)
		}
		if s := eff["user:read"]; len(s) != 1 || s[0].Kind != oas.GrantSourceKindGroup {
			t.Fatalf("user:read %+v", s)
		}
		for _, gone := range []string{"workspace:create", "dashboard:share"} {
			if _, held := eff[gone]; held {
				t.Fatalf("%s survived: %v", gone, eff)
			}
		}
		if l := ok(root.ListGroupMembers(bg, oas.ListGroupMembersParams{ID: grp.ID}))(t); l.Total != 1 {
			t.Fatalf("membership lost: %+v", l)
		}
		// NoRole is where the command leads: again is fine.
		ok(0, admin.RevokeAllUserRoles(bg, oas.RevokeAllUserRolesParams{ID: u.ID}))(t)

		// Acting-on: a colleague holding system:admin directly keeps their roles.
		strong, _ := a.user(t, o.ID, viewer)
		ok(root.GrantUserPermission(bg, &oas.PermissionRef{PermissionID: a.permission(t, "system:admin")}, oas.GrantUserPermissionParams{ID: strong.ID}))(t)
		problem(t, admin.RevokeAllUserRoles(bg, oas.RevokeAllUserRolesParams{ID: strong.ID}), http.StatusForbidden, "permission_escalation")
		if l := ok(root.ListUserRoles(bg, oas.ListUserRolesParams{ID: strong.ID}))(t); l.Total != 1 {
			t.Fatalf("strong's roles %+v", l)
		}
		// Scope: absent and out-of-scope users answer the same.
		_, _, theirs := a.hierarchy(t)
		stranger, _ := a.user(t, theirs.ID, viewer)
		problem(t, admin.RevokeAllUserRoles(bg, oas.RevokeAllUserRolesParams{ID: stranger.ID}), http.StatusNotFound, "user_not_found")
		problem(t, admin.RevokeAllUserRoles(bg, oas.RevokeAllUserRolesParams{ID: uuid.New()}), http.StatusNotFound, "user_not_found")

		// The last active super administrator keeps the role, and everything else with it.
		me := a.adminID(t)
		problem(t, root.RevokeAllUserRoles(bg, oas.RevokeAllUserRolesParams{ID: me}), http.StatusConflict, "last_super_administrator")
		if l := ok(root.ListUserRoles(bg, oas.ListUserRolesParams{ID: me}))(t); l.Total != 1 {
			t.Fatalf("super administrator's roles %+v", l)
		}
		ok(whoami(root))(t)

		// One DATA row per call, with its result.
		ctx, cancel := context.WithTimeout(bg, 30*time.Second)
		defer cancel()
		if err := a.srv.Service.FlushAudit(ctx); err != nil {
			t.Fatal(err)
		}
		rows := ok(root.ListAuditLogs(bg, oas.ListAuditLogsParams{Action: oas.NewOptString("revoke_all_user_roles"),
			EventType: oas.NewOptAuditEventType(oas.AuditEventTypeDATA), Limit: oas.NewOptInt(100)}))(t)
		results := map[oas.AuditResult]int{}
		for _, r := range rows.Items {
			results[r.Result]++
			if r.Resource != "user" {
				t.Fatalf("audit row %+v", r)
			}
		}
		// 2 successes on u; denied: strong; failures: stranger, unknown, last super.
		if results[oas.AuditResultSUCCESS] != 2 || results[oas.AuditResultDENIED] != 1 || results[oas.AuditResultFAILURE] != 3 {
			t.Fatalf("audit results %v", results)
		}
		var found bool
		for _, r := range rows.Items {
			found = found || (r.Result == oas.AuditResultSUCCESS && strings.Contains(r.Metadata, u.ID.String()))
		}
		if !found {
			t.Fatal("no success row names the user")
		}
	})
}
