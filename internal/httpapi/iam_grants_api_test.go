package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/oas"
)

// TestIAMAssignments: every assignment and its reversal, duplicates, and what they do to the
// effective permissions.
func TestIAMAssignments(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, a *api) {
		c := a.root
		_, _, o := a.hierarchy(t)
		u, _ := a.user(t, o.ID)
		viewer := a.systemRole(t, "viewer")
		auditExport := a.permission(t, "audit:export")
		share := a.permission(t, "dashboard:share")

		// User ↔ role.
		g := ok(c.AssignUserRole(bg, &oas.RoleRef{RoleID: viewer}, oas.AssignUserRoleParams{ID: u.ID}))(t)
		if g.Role.ID != viewer || g.AssignedBy.Or(uuid.Nil) != a.adminID(t) {
			t.Fatalf("role grant %+v", g)
		}
		problem(t, errOf(c.AssignUserRole(bg, &oas.RoleRef{RoleID: viewer}, oas.AssignUserRoleParams{ID: u.ID})), http.StatusConflict, "already_exists", "role_id")
		problem(t, errOf(c.AssignUserRole(bg, &oas.RoleRef{RoleID: uuid.New()}, oas.AssignUserRoleParams{ID: u.ID})), http.StatusUnprocessableEntity, "reference_not_found", "role_id")
		problem(t, errOf(c.AssignUserRole(bg, &oas.RoleRef{RoleID: viewer}, oas.AssignUserRoleParams{ID: uuid.New()})), http.StatusNotFound, "user_not_found")
		if l := ok(c.ListUserRoles(bg, oas.ListUserRolesParams{ID: u.ID}))(t); l.Total != 1 || l.Items[0].Role.Name != "viewer" {
			t.Fatalf("user roles %+v", l)
		}
		if l := ok(c.ListRoleUsers(bg, oas.ListRoleUsersParams{ID: viewer}))(t); l.Total != 1 || l.Items[0].ID != u.ID {
			t.Fatalf("role users %+v", l)
		}

		// User ↔ permission.
		pg := ok(c.GrantUserPermission(bg, &oas.PermissionRef{PermissionID: auditExport}, oas.GrantUserPermissionParams{ID: u.ID}))(t)
		if pg.Permission.Name != "audit:export" {
			t.Fatalf("permission grant %+v", pg)
		}
		problem(t, errOf(c.GrantUserPermission(bg, &oas.PermissionRef{PermissionID: auditExport}, oas.GrantUserPermissionParams{ID: u.ID})), http.StatusConflict, "already_exists", "permission_id")
		if l := ok(c.ListUserPermissions(bg, oas.ListUserPermissionsParams{ID: u.ID}))(t); l.Total != 1 || l.Items[0].Permission.ID != auditExport {
			t.Fatalf("user permissions %+v", l)
		}

		// Role ↔ permission, group ↔ member, group ↔ role.
		role := ok(c.CreateRole(bg, &oas.RoleCreate{Name: "sharer", Tier: 3, OrganizationID: oas.NewOptUUID(o.ID)}))(t)
		ok(c.AddRolePermission(bg, &oas.PermissionRef{PermissionID: share}, oas.AddRolePermissionParams{ID: role.ID}))(t)
		problem(t, errOf(c.AddRolePermission(bg, &oas.PermissionRef{PermissionID: share}, oas.AddRolePermissionParams{ID: role.ID})), http.StatusConflict, "already_exists", "permission_id")
		if l := ok(c.ListRolePermissions(bg, oas.ListRolePermissionsParams{ID: role.ID}))(t); l.Total != 1 || l.Items[0].Permission.Name != "dashboard:share" {
			t.Fatalf("role permissions %+v", l)
		}
		grp := ok(c.CreateGroup(bg, &oas.GroupCreate{Name: "sharers", OrganizationID: o.ID}))(t)
		ok(0, c.AddGroupMember(bg, &oas.UserRef{UserID: u.ID}, oas.AddGroupMemberParams{ID: grp.ID}))(t)
		problem(t, c.AddGroupMember(bg, &oas.UserRef{UserID: u.ID}, oas.AddGroupMemberParams{ID: grp.ID}), http.StatusConflict, "already_exists", "user_id")
		problem(t, c.AddGroupMember(bg, &oas.UserRef{UserID: a.adminID(t)}, oas.AddGroupMemberParams{ID: grp.ID}), http.StatusUnprocessableEntity, "group_organization_mismatch")
		ok(c.AddGroupRole(bg, &oas.RoleRef{RoleID: role.ID}, oas.AddGroupRoleParams{ID: grp.ID}))(t)
		problem(t, errOf(c.AddGroupRole(bg, &oas.RoleRef{RoleID: role.ID}, oas.AddGroupRoleParams{ID: grp.ID})), http.StatusConflict, "already_exists", "role_id")
		if l := ok(c.ListGroupMembers(bg, oas.ListGroupMembersParams{ID: grp.ID}))(t); l.Total != 1 || l.Items[0].ID != u.ID {
			t.Fatalf("members %+v", l)
		}
		if l := ok(c.ListGroupRoles(bg, oas.ListGroupRolesParams{ID: grp.ID}))(t); l.Total != 1 || l.Items[0].Role.ID != role.ID {
			t.Fatalf("group roles %+v", l)
		}

		// The effective permissions name every source.
		eff := effective(t, a, u.ID)
		if s := eff["dashboard:share"]; len(s) != 1 || s[0].Kind != oas.GrantSourceKindGroup || s[0].ID != grp.ID ||
			s[0].RoleID.Or(uuid.Nil) != role.ID || s[0].RoleName.Or("") != "sharer" {
			t.Fatalf("dashboard:share sources %+v", s)
		}
		if s := eff["audit:export"]; len(s) != 1 || s[0].Kind != oas.GrantSourceKindDirect || s[0].ID != auditExport {
			t.Fatalf("audit:export sources %+v", s)
		}
		if s := eff["user:read"]; len(s) != 1 || s[0].Kind != oas.GrantSourceKindRole || s[0].Name != "viewer" {
			t.Fatalf("user:read sources %+v", s)
		}

		// Every reversal, then a second time (not found).
		ok(0, c.RevokeUserRole(bg, oas.RevokeUserRoleParams{ID: u.ID, RoleId: viewer}))(t)
		problem(t, c.RevokeUserRole(bg, oas.RevokeUserRoleParams{ID: u.ID, RoleId: viewer}), http.StatusNotFound, "role_assignment_not_found")
		ok(0, c.RevokeUserPermission(bg, oas.RevokeUserPermissionParams{ID: u.ID, PermissionId: auditExport}))(t)
		problem(t, c.RevokeUserPermission(bg, oas.RevokeUserPermissionParams{ID: u.ID, PermissionId: auditExport}), http.StatusNotFound, "permission_grant_not_found")
		ok(0, c.RemoveGroupRole(bg, oas.RemoveGroupRoleParams{ID: grp.ID, RoleId: role.ID}))(t)
		problem(t, c.RemoveGroupRole(bg, oas.RemoveGroupRoleParams{ID: grp.ID, RoleId: role.ID}), http.StatusNotFound, "group_role_not_found")
		ok(0, c.RemoveGroupMember(bg, oas.RemoveGroupMemberParams{ID: grp.ID, UserId: u.ID}))(t)
		problem(t, c.RemoveGroupMember(bg, oas.RemoveGroupMemberParams{ID: grp.ID, UserId: u.ID}), http.StatusNotFound, "group_member_not_found")
		ok(0, c.RemoveRolePermission(bg, oas.RemoveRolePermissionParams{ID: role.ID, PermissionId: share}))(t)
		problem(t, c.RemoveRolePermission(bg, oas.RemoveRolePermissionParams{ID: role.ID, PermissionId: share}), http.StatusNotFound, "role_permission_not_found")
		if eff := effective(t, a, u.ID); len(eff) != 0 {
			t.Fatalf("permissions left after every revocation: %v", eff)
		}
		if l := ok(c.ListUserRoles(bg, oas.ListUserRolesParams{ID: u.ID}))(t); l.Total != 0 {
			t.Fatalf("roles left %+v", l)
		}

		// Deleting a group ends its memberships and grants.
		ok(c.AddGroupRole(bg, &oas.RoleRef{RoleID: viewer}, oas.AddGroupRoleParams{ID: grp.ID}))(t)
		ok(0, c.AddGroupMember(bg, &oas.UserRef{UserID: u.ID}, oas.AddGroupMemberParams{ID: grp.ID}))(t)
		if eff := effective(t, a, u.ID); len(eff["user:read"]) != 1 {
			t.Fatalf("group grant missing: %v", eff)
		}
		ok(0, c.DeleteGroup(bg, oas.DeleteGroupParams{ID: grp.ID}))(t)
		if eff := effective(t, a, u.ID); len(eff) != 0 {
			t.Fatalf("a deleted group still grants %v", eff)
		}
		// A role or permission still held cannot be deleted.
		ok(c.AssignUserRole(bg, &oas.RoleRef{RoleID: role.ID}, oas.AssignUserRoleParams{ID: u.ID}))(t)
		problem(t, c.DeleteRole(bg, oas.DeleteRoleParams{ID: role.ID}), http.StatusConflict, "has_children")
		custom := ok(c.CreatePermission(bg, &oas.PermissionCreate{Resource: "report", Action: "read"}))(t)
		ok(c.GrantUserPermission(bg, &oas.PermissionRef{PermissionID: custom.ID}, oas.GrantUserPermissionParams{ID: u.ID}))(t)
		problem(t, c.DeletePermission(bg, oas.DeletePermissionParams{ID: custom.ID}), http.StatusConflict, "has_children")
	})
}

func effective(t *testing.T, a *api, user uuid.UUID) map[string][]oas.GrantSource {
	t.Helper()
	l := ok(a.root.GetUserEffectivePermissions(bg, oas.GetUserEffectivePermissionsParams{ID: user}))(t)
	if l.Total != len(l.Items) {
		t.Fatalf("total %d for %d items", l.Total, len(l.Items))
	}
	out := map[string][]oas.GrantSource{}
	for _, p := range l.Items {
		out[p.Permission] = p.Sources
	}
	return out
}
