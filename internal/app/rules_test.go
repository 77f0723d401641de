package app_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/command"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/app/query"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/testutil/iamtest"
)

func permissionID(t *testing.T, f fixture, name string) uuid.UUID {
	t.Helper()
	p := get(f.App.Queries.ListPermissions.Handle(f.Admin(), query.ListPermissions{Filter: port.PermissionFilter{Q: name}}))(t)
	for _, it := range p.Items {
		if it.Name == name {
			return it.ID
		}
	}
	t.Fatalf("no permission %s", name)
	return uuid.Nil
}

// TestEscalation: an administrator cannot hand out more than they have.
func TestEscalation(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, f fixture) {
		c, q := f.App.Commands, f.App.Queries
		o := f.org(t)
		_, admin := f.user(t, o.ID, f.SystemRoles[rbac.RoleAdministrator])
		target, _ := f.user(t, o.ID)
		g := get(c.CreateGroup.Handle(admin, command.CreateGroup{OrganizationID: o.ID, GroupFields: iam.GroupFields{Name: ptr("g")}}))(t)

		for _, tc := range []struct {
			name string
			err  error
			code string
		}{
			{"assign super_administrator", errOf(c.AssignUserRole.Handle(admin, command.AssignUserRole{UserID: target.ID, RoleID: f.SuperAdminRole})), iam.CodeTierEscalation},
			{"give a group super_administrator", errOf(c.AddGroupRole.Handle(admin, command.AddGroupRole{GroupID: g.ID, RoleID: f.SuperAdminRole})), iam.CodeTierEscalation},
			{"create a tier-1 role", errOf(c.CreateRole.Handle(admin, command.CreateRole{RoleFields: iam.RoleFields{Name: ptr("boss"), Tier: ptr(1)}})), iam.CodeTierEscalation},
			{"grant system:admin directly", errOf(c.GrantUserPermission.Handle(admin, command.GrantUserPermission{UserID: target.ID, PermissionID: permissionID(t, f, "system:admin")})), iam.CodePermissionEscalation},
			{"act on the super administrator", errOf(c.DeactivateUser.Handle(admin, command.DeactivateUser{ID: mustSuperIn(t, f, o.ID)})), iam.CodeTierEscalation},
			{"create a global role", errOf(c.CreateRole.Handle(admin, command.CreateRole{TenantID: &o.TenantID, RoleFields: iam.RoleFields{Name: ptr("x"), Tier: ptr(3)}})), iam.CodeOutOfScope},
			{"create a region", errOf(c.CreateRegion.Handle(admin, command.CreateRegion{Name: "R", Code: "rr"})), iam.CodeOutOfScope},
			{"change their tenant", errOf(c.UpdateTenant.Handle(admin, command.UpdateTenant{ID: o.TenantID, TenantFields: iam.TenantFields{Name: ptr("x")}})), iam.CodeOutOfScope},
			{"change a global role", errOf(c.AddRolePermission.Handle(admin, command.AddRolePermission{RoleID: globalRole(t, f), PermissionID: permissionID(t, f, "user:read")})), iam.CodeOutOfScope},
		} {
			t.Run(tc.name, func(t *testing.T) { wantCode(t, tc.err, errs.KindForbidden, tc.code) })
		}

		// A group carrying a role above the administrator's tier: joining it or ending it
		// would grant or take that role.
		roots := get(c.CreateGroup.Handle(f.Admin(), command.CreateGroup{OrganizationID: o.ID, GroupFields: iam.GroupFields{Name: ptr("roots")}}))(t)
		get(c.AddGroupRole.Handle(f.Admin(), command.AddGroupRole{GroupID: roots.ID, RoleID: f.SuperAdminRole}))(t)
		wantCode(t, errOf(c.AddGroupMember.Handle(admin, command.AddGroupMember{GroupID: roots.ID, UserID: target.ID})), errs.KindForbidden, iam.CodeTierEscalation)
		wantCode(t, errOf(c.DeleteGroup.Handle(admin, command.DeleteGroup{ID: roots.ID})), errs.KindForbidden, iam.CodeTierEscalation)

		// Within their tier and their permissions it works.
		get(c.AssignUserRole.Handle(admin, command.AssignUserRole{UserID: target.ID, RoleID: f.SystemRoles[rbac.RoleDeveloper]}))(t)
		get(c.GrantUserPermission.Handle(admin, command.GrantUserPermission{UserID: target.ID, PermissionID: permissionID(t, f, "audit:export")}))(t)
		role := get(c.CreateRole.Handle(admin, command.CreateRole{RoleFields: iam.RoleFields{Name: ptr("release"), Tier: ptr(3)}}))(t)
		if role.Scope.OrganizationID == nil || *role.Scope.OrganizationID != o.ID {
			t.Fatalf("an administrator's role belongs to their organization: %+v", role.Scope)
		}
		get(c.AddRolePermission.Handle(admin, command.AddRolePermission{RoleID: role.ID, PermissionID: permissionID(t, f, "dashboard:share")}))(t)
		_, err := c.AddRolePermission.Handle(admin, command.AddRolePermission{RoleID: role.ID, PermissionID: permissionID(t, f, "platform:manage")})
		wantCode(t, err, errs.KindForbidden, iam.CodePermissionEscalation)
		_, err = c.UpdateRole.Handle(admin, command.UpdateRole{ID: role.ID, RoleFields: iam.RoleFields{Tier: ptr(1)}})
		wantCode(t, err, errs.KindForbidden, iam.CodeTierEscalation)
		get(c.AddGroupRole.Handle(admin, command.AddGroupRole{GroupID: g.ID, RoleID: role.ID}))(t)
		get(c.AddGroupMember.Handle(admin, command.AddGroupMember{GroupID: g.ID, UserID: target.ID}))(t)

		// The effective permissions show each source.
		eff := get(q.UserEffectivePermissions.Handle(admin, query.GetUserEffectivePermissions{UserID: target.ID}))(t)
		kinds := map[string][]iam.GrantKind{}
		for _, p := range eff {
			for _, s := range p.Sources {
				kinds[p.Permission] = append(kinds[p.Permission], s.Kind)
			}
		}
		if k := kinds["dashboard:share"]; len(k) != 2 || k[0] != iam.GrantGroup || k[1] != iam.GrantRole {
			t.Fatalf("dashboard:share via %v", k)
		}
		if k := kinds["audit:export"]; len(k) != 1 || k[0] != iam.GrantDirect {
			t.Fatalf("audit:export via %v", k)
		}

		// Denials are audited as DENIED.
		denied := 0
		for _, r := range f.Audit.Rows() {
			if r.Result == audit.ResultDenied && r.EventType == audit.EventData {
				denied++
			}
		}
		if denied < 9 {
			t.Fatalf("%d denials audited", denied)
		}
	})
}

// mustSuperIn creates a super administrator in org and returns its id.
func mustSuperIn(t *testing.T, f fixture, org uuid.UUID) uuid.UUID {
	t.Helper()
	u, _ := f.user(t, org, f.SuperAdminRole)
	return u.ID
}

func globalRole(t *testing.T, f fixture) uuid.UUID {
	t.Helper()
	r := get(f.App.Commands.CreateRole.Handle(f.Admin(), command.CreateRole{RoleFields: iam.RoleFields{Name: ptr(unique("global")), Tier: ptr(4)}}))(t)
	return r.ID
}

// TestLastSuperAdministrator: every way of removing the last one is refused; with a second
// one it works.
func TestLastSuperAdministrator(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, f fixture) {
		c, root := f.App.Commands, f.Admin()
		g := get(c.CreateGroup.Handle(root, command.CreateGroup{OrganizationID: f.DefaultOrg, GroupFields: iam.GroupFields{Name: ptr("root")}}))(t)
		for _, tc := range []struct {
			name string
			err  error
		}{
			{"deactivate", errOf(c.DeactivateUser.Handle(root, command.DeactivateUser{ID: f.AdminID}))},
			{"delete", errOf(c.DeleteUser.Handle(root, command.DeleteUser{ID: f.AdminID}))},
			{"revoke the role", errOf(c.RevokeUserRole.Handle(root, command.RevokeUserRole{UserID: f.AdminID, RoleID: f.SuperAdminRole}))},
		} {
			t.Run(tc.name, func(t *testing.T) { wantCode(t, tc.err, errs.KindConflict, iam.CodeLastSuperAdministrator) })
		}
		// Held only through a group: leaving the group or losing the group's role is refused too.
		get(c.AddGroupRole.Handle(root, command.AddGroupRole{GroupID: g.ID, RoleID: f.SuperAdminRole}))(t)
		get(c.AddGroupMember.Handle(root, command.AddGroupMember{GroupID: g.ID, UserID: f.AdminID}))(t)
		get(c.RevokeUserRole.Handle(root, command.RevokeUserRole{UserID: f.AdminID, RoleID: f.SuperAdminRole}))(t)
		wantCode(t, errOf(c.RemoveGroupMember.Handle(root, command.RemoveGroupMember{GroupID: g.ID, UserID: f.AdminID})), errs.KindConflict, iam.CodeLastSuperAdministrator)
		wantCode(t, errOf(c.RemoveGroupRole.Handle(root, command.RemoveGroupRole{GroupID: g.ID, RoleID: f.SuperAdminRole})), errs.KindConflict, iam.CodeLastSuperAdministrator)
		wantCode(t, errOf(c.DeleteGroup.Handle(root, command.DeleteGroup{ID: g.ID})), errs.KindConflict, iam.CodeLastSuperAdministrator)

		// A second active super administrator makes all of it possible.
		second, _ := f.user(t, f.DefaultOrg, f.SuperAdminRole)
		get(c.DeleteGroup.Handle(root, command.DeleteGroup{ID: g.ID}))(t)
		get(c.DeactivateUser.Handle(iamtest.As(second.ID), command.DeactivateUser{ID: f.AdminID}))(t)
		// Now second is the last one.
		wantCode(t, errOf(c.DeleteUser.Handle(iamtest.As(second.ID), command.DeleteUser{ID: second.ID})), errs.KindConflict, iam.CodeLastSuperAdministrator)
		// The deactivated administrator's token no longer acts.
		wantCode(t, errOf(c.CreateRegion.Handle(root, command.CreateRegion{Name: "R", Code: "rr"})), errs.KindUnauthenticated, errs.CodeUnauthenticated)
	})
}

// TestSystemImmutability: the seeded roles and permissions cannot change.
func TestSystemImmutability(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, f fixture) {
		c, ctx := f.App.Commands, f.Admin()
		viewer, perm := f.SystemRoles[rbac.RoleViewer], permissionID(t, f, "user:read")
		for _, tc := range []struct {
			name, code string
			err        error
		}{
			{"update role", iam.CodeSystemRoleImmutable, errOf(c.UpdateRole.Handle(ctx, command.UpdateRole{ID: viewer, RoleFields: iam.RoleFields{Description: ptr("x")}}))},
			{"delete role", iam.CodeSystemRoleImmutable, errOf(c.DeleteRole.Handle(ctx, command.DeleteRole{ID: viewer}))},
			{"add to role", iam.CodeSystemRoleImmutable, errOf(c.AddRolePermission.Handle(ctx, command.AddRolePermission{RoleID: viewer, PermissionID: permissionID(t, f, "user:create")}))},
			{"remove from role", iam.CodeSystemRoleImmutable, errOf(c.RemoveRolePermission.Handle(ctx, command.RemoveRolePermission{RoleID: viewer, PermissionID: perm}))},
			{"update permission", iam.CodeSystemPermissionImmutable, errOf(c.UpdatePermission.Handle(ctx, command.UpdatePermission{ID: perm, Description: "x"}))},
			{"delete permission", iam.CodeSystemPermissionImmutable, errOf(c.DeletePermission.Handle(ctx, command.DeletePermission{ID: perm}))},
		} {
			t.Run(tc.name, func(t *testing.T) { wantCode(t, tc.err, errs.KindConflict, tc.code) })
		}
		// Custom roles and permissions in use cannot be deleted either.
		role := get(c.CreateRole.Handle(ctx, command.CreateRole{RoleFields: iam.RoleFields{Name: ptr("ops"), Tier: ptr(3)}}))(t)
		p := get(c.CreatePermission.Handle(ctx, command.CreatePermission{Resource: "report", Action: "read"}))(t)
		get(c.AddRolePermission.Handle(ctx, command.AddRolePermission{RoleID: role.ID, PermissionID: p.ID}))(t)
		u, _ := f.user(t, f.DefaultOrg, role.ID)
		wantCode(t, errOf(c.DeleteRole.Handle(ctx, command.DeleteRole{ID: role.ID})), errs.KindConflict, iam.CodeHasChildren)
		wantCode(t, errOf(c.DeletePermission.Handle(ctx, command.DeletePermission{ID: p.ID})), errs.KindConflict, iam.CodeHasChildren)
		get(c.RevokeUserRole.Handle(ctx, command.RevokeUserRole{UserID: u.ID, RoleID: role.ID}))(t)
		get(c.RemoveRolePermission.Handle(ctx, command.RemoveRolePermission{RoleID: role.ID, PermissionID: p.ID}))(t)
		get(c.DeletePermission.Handle(ctx, command.DeletePermission{ID: p.ID}))(t)
		get(c.DeleteRole.Handle(ctx, command.DeleteRole{ID: role.ID}))(t)
		// Removals of what is not there are not found.
		wantCode(t, errOf(c.RevokeUserRole.Handle(ctx, command.RevokeUserRole{UserID: u.ID, RoleID: f.SystemRoles[rbac.RoleDemo]})), errs.KindNotFound, "role_assignment_not_found")
		wantCode(t, errOf(c.RemoveGroupMember.Handle(ctx, command.RemoveGroupMember{GroupID: uuid.New(), UserID: u.ID})), errs.KindNotFound, "group_not_found")
	})
}

// TestScope: outside their organization a caller sees nothing, and ids there behave as absent.
func TestScope(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, f fixture) {
		c, q := f.App.Commands, f.App.Queries
		mine, theirs := f.org(t), f.org(t)
		_, admin := f.user(t, mine.ID, f.SystemRoles[rbac.RoleAdministrator])
		stranger, _ := f.user(t, theirs.ID)
		neighbour, _ := f.user(t, mine.ID)
		ws := get(c.CreateWorkspace.Handle(f.Admin(), command.CreateWorkspace{OrganizationID: theirs.ID, WorkspaceFields: iam.WorkspaceFields{Name: ptr("W"), Slug: ptr("w")}}))(t)
		grp := get(c.CreateGroup.Handle(f.Admin(), command.CreateGroup{OrganizationID: theirs.ID, GroupFields: iam.GroupFields{Name: ptr("g")}}))(t)
		theirRole := get(c.CreateRole.Handle(f.Admin(), command.CreateRole{OrganizationID: &theirs.ID, RoleFields: iam.RoleFields{Name: ptr("r"), Tier: ptr(4)}}))(t)

		for _, tc := range []struct {
			name, code string
			err        error
		}{
			{"get user", "user_not_found", errOf(q.GetUser.Handle(admin, query.GetUser{ID: stranger.ID}))},
			{"get organization", "organization_not_found", errOf(q.GetOrganization.Handle(admin, query.GetOrganization{ID: theirs.ID}))},
			{"get tenant", "tenant_not_found", errOf(q.GetTenant.Handle(admin, query.GetTenant{ID: theirs.TenantID}))},
			{"get workspace", "workspace_not_found", errOf(q.GetWorkspace.Handle(admin, query.GetWorkspace{ID: ws.ID}))},
			{"get group", "group_not_found", errOf(q.GetGroup.Handle(admin, query.GetGroup{ID: grp.ID}))},
			{"get role", "role_not_found", errOf(q.GetRole.Handle(admin, query.GetRole{ID: theirRole.ID}))},
			{"update user", "user_not_found", errOf(c.UpdateUser.Handle(admin, command.UpdateUser{ID: stranger.ID, UserFields: iam.UserFields{LastName: ptr("x")}}))},
			{"deactivate user", "user_not_found", errOf(c.DeactivateUser.Handle(admin, command.DeactivateUser{ID: stranger.ID}))},
			{"reset password", "user_not_found", errOf(c.ResetUserPassword.Handle(admin, command.ResetUserPassword{ID: stranger.ID, NewPassword: "a long enough password"}))},
			{"their user's roles", "user_not_found", errOf(q.ListUserRoles.Handle(admin, query.ListUserRoles{UserID: stranger.ID}))},
			{"their user's effective permissions", "user_not_found", errOf(q.UserEffectivePermissions.Handle(admin, query.GetUserEffectivePermissions{UserID: stranger.ID}))},
			{"their group's members", "group_not_found", errOf(q.ListGroupMembers.Handle(admin, query.ListGroupMembers{GroupID: grp.ID}))},
			{"delete their workspace", "workspace_not_found", errOf(c.DeleteWorkspace.Handle(admin, command.DeleteWorkspace{ID: ws.ID}))},
			{"assign a role to their user", "user_not_found", errOf(c.AssignUserRole.Handle(admin, command.AssignUserRole{UserID: stranger.ID, RoleID: f.SystemRoles[rbac.RoleViewer]}))},
		} {
			t.Run(tc.name, func(t *testing.T) { wantCode(t, tc.err, errs.KindNotFound, tc.code) })
		}
		for _, tc := range []struct {
			name, field string
			err         error
		}{
			{"workspace in their organization", "organization_id", errOf(c.CreateWorkspace.Handle(admin, command.CreateWorkspace{OrganizationID: theirs.ID, WorkspaceFields: iam.WorkspaceFields{Name: ptr("W"), Slug: ptr("x")}}))},
			{"user in their organization", "organization_id", errOf(c.CreateUser.Handle(admin, command.CreateUser{OrganizationID: theirs.ID, UserFields: iam.UserFields{Email: ptr("x@example.com")}, Password: "a long enough password"}))},
			{"their role to my user", "role_id", errOf(c.AssignUserRole.Handle(admin, command.AssignUserRole{UserID: neighbour.ID, RoleID: theirRole.ID}))},
		} {
			t.Run(tc.name, func(t *testing.T) { wantCode(t, tc.err, errs.KindUnprocessable, iam.CodeReferenceNotFound, tc.field) })
		}
		// A super administrator still cannot put one organization's role on another's user.
		wantCode(t, errOf(c.AssignUserRole.Handle(f.Admin(), command.AssignUserRole{UserID: neighbour.ID, RoleID: theirRole.ID})), errs.KindUnprocessable, iam.CodeRoleScopeMismatch)
		// Nor mix organizations in a group.
		wantCode(t, errOf(c.AddGroupMember.Handle(f.Admin(), command.AddGroupMember{GroupID: grp.ID, UserID: neighbour.ID})), errs.KindUnprocessable, iam.CodeGroupOrganizationMismatch)

		// Lists show only the caller's organization.
		users := get(q.ListUsers.Handle(admin, query.ListUsers{}))(t)
		for _, u := range users.Items {
			if u.OrganizationID != mine.ID {
				t.Fatalf("listed a user of %s", u.OrganizationID)
			}
		}
		if users.Total != 2 {
			t.Fatalf("users in scope %d", users.Total)
		}
		if orgs := get(q.ListOrganizations.Handle(admin, query.ListOrganizations{}))(t); orgs.Total != 1 || orgs.Items[0].ID != mine.ID {
			t.Fatalf("organizations %+v", orgs)
		}
		if regions := get(q.ListRegions.Handle(admin, query.ListRegions{}))(t); regions.Total != 1 {
			t.Fatalf("regions %+v", regions)
		}
		filter := port.UserFilter{OrganizationID: &theirs.ID}
		if l := get(q.ListUsers.Handle(admin, query.ListUsers{Filter: filter}))(t); l.Total != 0 {
			t.Fatalf("filtering by another organization leaked %d users", l.Total)
		}
		for _, r := range get(q.ListRoles.Handle(admin, query.ListRoles{Page: port.PageRequest{Limit: 100}}))(t).Items {
			if r.ID == theirRole.ID {
				t.Fatal("listed another organization's role")
			}
		}
		// Their own organization they may change.
		get(c.UpdateOrganization.Handle(admin, command.UpdateOrganization{ID: mine.ID, OrganizationFields: iam.OrganizationFields{Description: ptr("ours")}}))(t)
	})
}

// TestUnauthenticated: no principal, or an unknown one, is refused before anything runs.
func TestUnauthenticated(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, f fixture) {
		wantCode(t, errOf(f.App.Queries.ListUsers.Handle(context.Background(), query.ListUsers{})), errs.KindUnauthenticated, errs.CodeUnauthenticated)
		wantCode(t, errOf(f.App.Queries.ListUsers.Handle(iamtest.As(uuid.New()), query.ListUsers{})), errs.KindUnauthenticated, errs.CodeUnauthenticated)
	})
}
