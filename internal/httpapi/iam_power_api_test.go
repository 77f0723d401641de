package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/oas"
)

// refused asserts each named call answers 403 with code, as its own subtest, so a regression
// names every door it opens.
func refused(t *testing.T, code string, calls []struct {
	name string
	call func() error
}) {
	t.Helper()
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) { problem(t, c.call(), http.StatusForbidden, code) })
	}
}

type call = struct {
	name string
	call func() error
}

// TestActingOnUsersIsBoundedByPower: an organization administrator cannot change a colleague
// whose power comes from a direct grant of system:admin (no role: the weakest tier by label),
// nor anything that reaches them; a super administrator can; the administrator still manages
// a developer.
func TestActingOnUsersIsBoundedByPower(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, a *api) {
		root := a.root
		_, _, o := a.hierarchy(t)
		_, admin := a.user(t, o.ID, a.systemRole(t, "administrator"))
		sysAdmin, auditExport, share := a.permission(t, "system:admin"), a.permission(t, "audit:export"), a.permission(t, "dashboard:share")
		viewer := a.systemRole(t, "viewer")

		// strong holds system:admin directly and no role at all.
		strong, _ := a.user(t, o.ID)
		ok(root.GrantUserPermission(bg, &oas.PermissionRef{PermissionID: sysAdmin}, oas.GrantUserPermissionParams{ID: strong.ID}))(t)
		ok(root.GrantUserPermission(bg, &oas.PermissionRef{PermissionID: auditExport}, oas.GrantUserPermissionParams{ID: strong.ID}))(t)
		// sleeper is like strong, but inactive.
		sleeper, _ := a.user(t, o.ID)
		ok(root.GrantUserPermission(bg, &oas.PermissionRef{PermissionID: sysAdmin}, oas.GrantUserPermissionParams{ID: sleeper.ID}))(t)
		ok(root.DeactivateUser(bg, oas.DeactivateUserParams{ID: sleeper.ID}))(t)
		grp := ok(root.CreateGroup(bg, &oas.GroupCreate{Name: "plain", OrganizationID: o.ID}))(t)

		uid := func(id uuid.UUID) oas.UpdateUserParams { return oas.UpdateUserParams{ID: id} }
		// Destructive calls last, so that without the rule every call still reaches its target.
		refused(t, "permission_escalation", []call{
			{"update email", func() error {
				return errOf(admin.UpdateUser(bg, &oas.UserUpdate{Email: oas.NewOptString("mine@example.com")}, uid(strong.ID)))
			}},
			{"reset password", func() error {
				return admin.ResetUserPassword(bg, &oas.ResetPasswordRequest{NewPassword: "taken over by the admin"}, oas.ResetUserPasswordParams{ID: strong.ID})
			}},
			{"revoke a permission the administrator holds too", func() error {
				return admin.RevokeUserPermission(bg, oas.RevokeUserPermissionParams{ID: strong.ID, PermissionId: auditExport})
			}},
			{"revoke system:admin", func() error {
				return admin.RevokeUserPermission(bg, oas.RevokeUserPermissionParams{ID: strong.ID, PermissionId: sysAdmin})
			}},
			{"grant a permission", func() error {
				return errOf(admin.GrantUserPermission(bg, &oas.PermissionRef{PermissionID: share}, oas.GrantUserPermissionParams{ID: strong.ID}))
			}},
			{"assign a role", func() error {
				return errOf(admin.AssignUserRole(bg, &oas.RoleRef{RoleID: viewer}, oas.AssignUserRoleParams{ID: strong.ID}))
			}},
			{"revoke all roles", func() error { return admin.RevokeAllUserRoles(bg, oas.RevokeAllUserRolesParams{ID: strong.ID}) }},
			{"add to a group", func() error {
				return admin.AddGroupMember(bg, &oas.UserRef{UserID: strong.ID}, oas.AddGroupMemberParams{ID: grp.ID})
			}},
			{"activate", func() error { return errOf(admin.ActivateUser(bg, oas.ActivateUserParams{ID: sleeper.ID})) }},
			{"deactivate", func() error { return errOf(admin.DeactivateUser(bg, oas.DeactivateUserParams{ID: strong.ID})) }},
			{"delete", func() error { return admin.DeleteUser(bg, oas.DeleteUserParams{ID: strong.ID}) }},
		})

		// member holds system:admin directly, two roles and a group membership: taking any of
		// them away is refused too, and so is every change that reaches member through the
		// group or a role.
		member, _ := a.user(t, o.ID)
		ops := ok(root.CreateRole(bg, &oas.RoleCreate{Name: "ops", Tier: 3, OrganizationID: oas.NewOptUUID(o.ID)}))(t)
		ok(root.AddRolePermission(bg, &oas.PermissionRef{PermissionID: share}, oas.AddRolePermissionParams{ID: ops.ID}))(t)
		ok(root.GrantUserPermission(bg, &oas.PermissionRef{PermissionID: sysAdmin}, oas.GrantUserPermissionParams{ID: member.ID}))(t)
		ok(root.AssignUserRole(bg, &oas.RoleRef{RoleID: viewer}, oas.AssignUserRoleParams{ID: member.ID}))(t)
		ok(root.AssignUserRole(bg, &oas.RoleRef{RoleID: ops.ID}, oas.AssignUserRoleParams{ID: member.ID}))(t)
		ok(0, root.AddGroupMember(bg, &oas.UserRef{UserID: member.ID}, oas.AddGroupMemberParams{ID: grp.ID}))(t)
		refused(t, "permission_escalation", []call{
			{"revoke a role", func() error {
				return admin.RevokeUserRole(bg, oas.RevokeUserRoleParams{ID: member.ID, RoleId: viewer})
			}},
			{"take a permission out of their role", func() error {
				return admin.RemoveRolePermission(bg, oas.RemoveRolePermissionParams{ID: ops.ID, PermissionId: share})
			}},
			{"put a permission into their role", func() error {
				return errOf(admin.AddRolePermission(bg, &oas.PermissionRef{PermissionID: auditExport}, oas.AddRolePermissionParams{ID: ops.ID}))
			}},
			{"give their group a role", func() error {
				return errOf(admin.AddGroupRole(bg, &oas.RoleRef{RoleID: viewer}, oas.AddGroupRoleParams{ID: grp.ID}))
			}},
			{"revoke all roles held", func() error { return admin.RevokeAllUserRoles(bg, oas.RevokeAllUserRolesParams{ID: member.ID}) }},
			{"remove from the group", func() error {
				return admin.RemoveGroupMember(bg, oas.RemoveGroupMemberParams{ID: grp.ID, UserId: member.ID})
			}},
			{"delete their group", func() error { return admin.DeleteGroup(bg, oas.DeleteGroupParams{ID: grp.ID}) }},
		})

		// Nothing changed: strong logs in with the old password; both hold what they held.
		strongAgain, _ := a.srv.Login(t, strong.Email, userPassword)
		ok(whoami(strongAgain))(t)
		if got := ok(root.GetUser(bg, oas.GetUserParams{ID: strong.ID}))(t); got.Email != strong.Email || got.Status != oas.UserStatusActive {
			t.Fatalf("strong changed: %+v", got)
		}
		if eff := effective(t, a, strong.ID); len(eff) != 2 || len(eff["system:admin"]) != 1 || len(eff["audit:export"]) != 1 {
			t.Fatalf("strong's permissions changed: %v", eff)
		}
		if eff := effective(t, a, member.ID); len(eff["system:admin"]) != 1 || len(eff["dashboard:share"]) != 1 ||
			len(eff["audit:export"]) != 0 || len(eff["user:read"]) != 1 || eff["user:read"][0].Kind != oas.GrantSourceKindRole {
			t.Fatalf("member's permissions changed: %v", eff)
		}
		if got := ok(root.GetUser(bg, oas.GetUserParams{ID: sleeper.ID}))(t); got.Status != oas.UserStatusInactive {
			t.Fatalf("sleeper woke up: %+v", got)
		}

		// A super administrator can do all of it.
		ok(root.UpdateUser(bg, &oas.UserUpdate{LastName: oas.NewOptString("Renamed")}, uid(strong.ID)))(t)
		ok(0, root.ResetUserPassword(bg, &oas.ResetPasswordRequest{NewPassword: "reset by the super administrator"}, oas.ResetUserPasswordParams{ID: strong.ID}))(t)
		ok(0, root.RevokeUserPermission(bg, oas.RevokeUserPermissionParams{ID: strong.ID, PermissionId: sysAdmin}))(t)
		ok(0, root.RemoveGroupMember(bg, oas.RemoveGroupMemberParams{ID: grp.ID, UserId: member.ID}))(t)
		ok(0, root.RevokeAllUserRoles(bg, oas.RevokeAllUserRolesParams{ID: member.ID}))(t)
		ok(root.ActivateUser(bg, oas.ActivateUserParams{ID: sleeper.ID}))(t)

		// Without system:admin, strong is within the administrator's power again.
		ok(admin.UpdateUser(bg, &oas.UserUpdate{FirstName: oas.NewOptString("Within")}, uid(strong.ID)))(t)
		ok(admin.DeactivateUser(bg, oas.DeactivateUserParams{ID: strong.ID}))(t)
	})
}

// TestAdministratorStillManagesDevelopers: the rule takes nothing an administrator legitimately
// does to a less powerful colleague, or to themselves.
func TestAdministratorStillManagesDevelopers(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, a *api) {
		_, _, o := a.hierarchy(t)
		me, admin := a.user(t, o.ID, a.systemRole(t, "administrator"))
		dev, _ := a.user(t, o.ID, a.systemRole(t, "developer"))
		viewer, auditExport := a.systemRole(t, "viewer"), a.permission(t, "audit:export")
		grp := ok(admin.CreateGroup(bg, &oas.GroupCreate{Name: "team", OrganizationID: o.ID}))(t)
		ok(admin.AddGroupRole(bg, &oas.RoleRef{RoleID: viewer}, oas.AddGroupRoleParams{ID: grp.ID}))(t)

		ok(admin.UpdateUser(bg, &oas.UserUpdate{Email: oas.NewOptString(unique("dev") + "@example.com")}, oas.UpdateUserParams{ID: dev.ID}))(t)
		ok(0, admin.ResetUserPassword(bg, &oas.ResetPasswordRequest{NewPassword: "reset by the administrator"}, oas.ResetUserPasswordParams{ID: dev.ID}))(t)
		ok(admin.DeactivateUser(bg, oas.DeactivateUserParams{ID: dev.ID}))(t)
		ok(admin.ActivateUser(bg, oas.ActivateUserParams{ID: dev.ID}))(t)
		ok(admin.AssignUserRole(bg, &oas.RoleRef{RoleID: viewer}, oas.AssignUserRoleParams{ID: dev.ID}))(t)
		ok(0, admin.RevokeUserRole(bg, oas.RevokeUserRoleParams{ID: dev.ID, RoleId: viewer}))(t)
		ok(admin.GrantUserPermission(bg, &oas.PermissionRef{PermissionID: auditExport}, oas.GrantUserPermissionParams{ID: dev.ID}))(t)
		ok(0, admin.RevokeUserPermission(bg, oas.RevokeUserPermissionParams{ID: dev.ID, PermissionId: auditExport}))(t)
		ok(0, admin.AddGroupMember(bg, &oas.UserRef{UserID: dev.ID}, oas.AddGroupMemberParams{ID: grp.ID}))(t)
		ok(0, admin.RemoveGroupMember(bg, oas.RemoveGroupMemberParams{ID: grp.ID, UserId: dev.ID}))(t)
		ok(0, admin.RevokeAllUserRoles(bg, oas.RevokeAllUserRolesParams{ID: dev.ID}))(t)
		ok(0, admin.DeleteUser(bg, oas.DeleteUserParams{ID: dev.ID}))(t)
		// Acting on oneself stays allowed.
		ok(admin.UpdateUser(bg, &oas.UserUpdate{FirstName: oas.NewOptString("Self")}, oas.UpdateUserParams{ID: me.ID}))(t)
		ok(0, admin.AddGroupMember(bg, &oas.UserRef{UserID: me.ID}, oas.AddGroupMemberParams{ID: grp.ID}))(t)
	})
}

// TestRoleTierNeverBoundsItsPermissions: a custom role of a weak tier that carries a permission
// the caller lacks cannot be handed out by them, directly or through a group; a role's tier
// cannot be set better than the caller's own.
func TestRoleTierNeverBoundsItsPermissions(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, a *api) {
		root := a.root
		_, _, o := a.hierarchy(t)
		_, admin := a.user(t, o.ID, a.systemRole(t, "administrator"))
		dev, _ := a.user(t, o.ID, a.systemRole(t, "developer"))
		holder, _ := a.user(t, o.ID)
		sneaky := ok(root.CreateRole(bg, &oas.RoleCreate{Name: "sneaky", Tier: 4, OrganizationID: oas.NewOptUUID(o.ID)}))(t)
		ok(root.AddRolePermission(bg, &oas.PermissionRef{PermissionID: a.permission(t, "system:admin")}, oas.AddRolePermissionParams{ID: sneaky.ID}))(t)
		ok(root.AssignUserRole(bg, &oas.RoleRef{RoleID: sneaky.ID}, oas.AssignUserRoleParams{ID: holder.ID}))(t)
		grp := ok(admin.CreateGroup(bg, &oas.GroupCreate{Name: "g", OrganizationID: o.ID}))(t)
		own := ok(admin.CreateRole(bg, &oas.RoleCreate{Name: "own", Tier: 3}))(t)
		// Nobody holds these: only what they carry is at stake when taking it away.
		unheld := ok(root.CreateGroup(bg, &oas.GroupCreate{Name: "unheld", OrganizationID: o.ID}))(t)
		ok(root.AddGroupRole(bg, &oas.RoleRef{RoleID: sneaky.ID}, oas.AddGroupRoleParams{ID: unheld.ID}))(t)
		spare := ok(root.CreateRole(bg, &oas.RoleCreate{Name: "spare", Tier: 4, OrganizationID: oas.NewOptUUID(o.ID)}))(t)
		ok(root.AddRolePermission(bg, &oas.PermissionRef{PermissionID: a.permission(t, "system:admin")}, oas.AddRolePermissionParams{ID: spare.ID}))(t)

		refused(t, "permission_escalation", []call{
			{"assign the tier-4 role", func() error {
				return errOf(admin.AssignUserRole(bg, &oas.RoleRef{RoleID: sneaky.ID}, oas.AssignUserRoleParams{ID: dev.ID}))
			}},
			{"give it to a group", func() error {
				return errOf(admin.AddGroupRole(bg, &oas.RoleRef{RoleID: sneaky.ID}, oas.AddGroupRoleParams{ID: grp.ID}))
			}},
			{"revoke it", func() error {
				return admin.RevokeUserRole(bg, oas.RevokeUserRoleParams{ID: holder.ID, RoleId: sneaky.ID})
			}},
			{"take it from a group without members", func() error {
				return admin.RemoveGroupRole(bg, oas.RemoveGroupRoleParams{ID: unheld.ID, RoleId: sneaky.ID})
			}},
			{"take system:admin out of a role nobody holds", func() error {
				return admin.RemoveRolePermission(bg, oas.RemoveRolePermissionParams{ID: spare.ID, PermissionId: a.permission(t, "system:admin")})
			}},
		})
		refused(t, "tier_escalation", []call{
			{"create a role above one's tier", func() error {
				return errOf(admin.CreateRole(bg, &oas.RoleCreate{Name: "boss", Tier: 1}))
			}},
			{"raise a role above one's tier", func() error {
				return errOf(admin.UpdateRole(bg, &oas.RoleUpdate{Tier: oas.NewOptInt(1)}, oas.UpdateRoleParams{ID: own.ID}))
			}},
		})
		if l := ok(root.ListUserRoles(bg, oas.ListUserRolesParams{ID: dev.ID}))(t); l.Total != 1 {
			t.Fatalf("developer roles %+v", l)
		}
		// Its own tier is fine, and a super administrator hands out the tier-4 role freely.
		ok(admin.UpdateRole(bg, &oas.RoleUpdate{Tier: oas.NewOptInt(2)}, oas.UpdateRoleParams{ID: own.ID}))(t)
		ok(root.AssignUserRole(bg, &oas.RoleRef{RoleID: sneaky.ID}, oas.AssignUserRoleParams{ID: dev.ID}))(t)
	})
}
