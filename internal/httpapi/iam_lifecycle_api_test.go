package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/telemetryflow/core/oas"
)

// TestIAMUserLifecycle: every legal and illegal transition through the API, sessions ending
// with deactivation, deletion and password resets, and reuse of a deleted user's email.
func TestIAMUserLifecycle(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, a *api) {
		c := a.root
		org := a.defaultOrg(t)
		problem(t, errOf(c.CreateUser(bg, &oas.UserCreate{Email: "not-an-email", Password: "short", OrganizationID: org})),
			http.StatusBadRequest, "validation_failed", "email", "password")
		problem(t, errOf(c.CreateUser(bg, &oas.UserCreate{Email: "same@example.com", Password: "Same@Example.com", OrganizationID: org})),
			http.StatusBadRequest, "validation_failed", "password")
		u := ok(c.CreateUser(bg, &oas.UserCreate{Email: "Ada@Example.com", Password: userPassword, FirstName: "Ada", LastName: "Lovelace", OrganizationID: org}))(t)
		if u.Status != oas.UserStatusCreated || u.Email != "ada@example.com" {
			t.Fatalf("created %+v", u)
		}
		problem(t, errOf(c.CreateUser(bg, &oas.UserCreate{Email: "ADA@example.com", Password: userPassword, OrganizationID: org})), http.StatusConflict, "already_exists", "email")

		illegal := func(err error, state string) {
			t.Helper()
			if p := problem(t, err, http.StatusConflict, "illegal_transition"); !strings.Contains(p.Detail.Or(""), state) {
				t.Fatalf("detail %q does not name %s", p.Detail.Or(""), state)
			}
		}
		// created: delete is illegal; activate and deactivate are legal.
		illegal(c.DeleteUser(bg, oas.DeleteUserParams{ID: u.ID}), "created")
		if got := ok(c.ActivateUser(bg, oas.ActivateUserParams{ID: u.ID}))(t); got.Status != oas.UserStatusActive {
			t.Fatalf("activated %+v", got)
		}
		// active: activate is illegal.
		illegal(errOf(c.ActivateUser(bg, oas.ActivateUserParams{ID: u.ID})), "active")
		user, _ := a.srv.Login(t, "ada@example.com", userPassword)
		ok(whoami(user))(t)
		if got := ok(c.DeactivateUser(bg, oas.DeactivateUserParams{ID: u.ID}))(t); got.Status != oas.UserStatusInactive {
			t.Fatalf("deactivated %+v", got)
		}
		// The session ended with the deactivation: the next request is refused.
		problem(t, errOf(whoami(user)), http.StatusUnauthorized, "invalid_token")
		// inactive: deactivate is illegal.
		illegal(errOf(c.DeactivateUser(bg, oas.DeactivateUserParams{ID: u.ID})), "inactive")
		ok(c.ActivateUser(bg, oas.ActivateUserParams{ID: u.ID}))(t)

		// A password reset ends the sessions too, and the new password works.
		user, _ = a.srv.Login(t, "ada@example.com", userPassword)
		problem(t, c.ResetUserPassword(bg, &oas.ResetPasswordRequest{NewPassword: "short"}, oas.ResetUserPasswordParams{ID: u.ID}), http.StatusBadRequest, "validation_failed", "new_password")
		ok(0, c.ResetUserPassword(bg, &oas.ResetPasswordRequest{NewPassword: "a brand new password"}, oas.ResetUserPasswordParams{ID: u.ID}))(t)
		problem(t, errOf(whoami(user)), http.StatusUnauthorized, "invalid_token")
		problem(t, errOf(a.srv.Client.Login(bg, &oas.LoginRequest{Email: "ada@example.com", Password: userPassword})), http.StatusUnauthorized, "invalid_credentials")
		user, _ = a.srv.Login(t, "ada@example.com", "a brand new password")
		if got := ok(c.GetUser(bg, oas.GetUserParams{ID: u.ID}))(t); !got.PasswordChangedAt.Set {
			t.Fatalf("password_changed_at not set: %+v", got)
		}

		// Profile updates.
		if got := ok(c.UpdateUser(bg, &oas.UserUpdate{FirstName: oas.NewOptString("Augusta"), Email: oas.NewOptString("Augusta@Example.com")}, oas.UpdateUserParams{ID: u.ID}))(t); got.FirstName != "Augusta" || got.Email != "augusta@example.com" {
			t.Fatalf("updated %+v", got)
		}
		problem(t, errOf(c.UpdateUser(bg, &oas.UserUpdate{Email: oas.NewOptString("nope")}, oas.UpdateUserParams{ID: u.ID})), http.StatusBadRequest, "validation_failed", "email")

		// Delete (terminal, soft, invisible), and the email is free again.
		ok(0, c.DeleteUser(bg, oas.DeleteUserParams{ID: u.ID}))(t)
		problem(t, errOf(whoami(user)), http.StatusUnauthorized, "invalid_token")
		problem(t, errOf(c.GetUser(bg, oas.GetUserParams{ID: u.ID})), http.StatusNotFound, "user_not_found")
		problem(t, errOf(c.ActivateUser(bg, oas.ActivateUserParams{ID: u.ID})), http.StatusNotFound, "user_not_found")
		if l := ok(c.ListUsers(bg, oas.ListUsersParams{Email: oas.NewOptString("augusta@example.com")}))(t); l.Total != 0 {
			t.Fatalf("deleted user listed: %+v", l)
		}
		again := ok(c.CreateUser(bg, &oas.UserCreate{Email: "augusta@example.com", Password: userPassword, OrganizationID: org}))(t)
		if again.ID == u.ID {
			t.Fatal("reused the deleted user's id")
		}
		// created → inactive is legal; inactive → deleted too.
		ok(c.DeactivateUser(bg, oas.DeactivateUserParams{ID: again.ID}))(t)
		ok(0, c.DeleteUser(bg, oas.DeleteUserParams{ID: again.ID}))(t)
		if l := ok(c.ListUsers(bg, oas.ListUsersParams{Status: oas.NewOptUserStatus(oas.UserStatusDeleted)}))(t); l.Total != 0 {
			t.Fatalf("deleted users are invisible even when asked for: %+v", l)
		}
	})
}

// TestIAMRules: escalation, the last super administrator, scope.
func TestIAMRules(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, a *api) {
		root := a.root
		_, _, mine := a.hierarchy(t)
		_, _, theirs := a.hierarchy(t)
		_, admin := a.user(t, mine.ID, a.systemRole(t, "administrator"))
		colleague, _ := a.user(t, mine.ID)
		stranger, _ := a.user(t, theirs.ID)
		superRole := a.systemRole(t, "super_administrator")

		// Escalation.
		problem(t, errOf(admin.AssignUserRole(bg, &oas.RoleRef{RoleID: superRole}, oas.AssignUserRoleParams{ID: colleague.ID})), http.StatusForbidden, "tier_escalation")
		problem(t, errOf(admin.GrantUserPermission(bg, &oas.PermissionRef{PermissionID: a.permission(t, "system:admin")}, oas.GrantUserPermissionParams{ID: colleague.ID})), http.StatusForbidden, "permission_escalation")
		grp := ok(admin.CreateGroup(bg, &oas.GroupCreate{Name: "g", OrganizationID: mine.ID}))(t)
		problem(t, errOf(admin.AddGroupRole(bg, &oas.RoleRef{RoleID: superRole}, oas.AddGroupRoleParams{ID: grp.ID})), http.StatusForbidden, "tier_escalation")
		ok(admin.AssignUserRole(bg, &oas.RoleRef{RoleID: a.systemRole(t, "developer")}, oas.AssignUserRoleParams{ID: colleague.ID}))(t)
		own := ok(admin.CreateRole(bg, &oas.RoleCreate{Name: "ops", Tier: 3}))(t)
		if own.OrganizationID.Or(own.ID) != mine.ID {
			t.Fatalf("an administrator's role belongs to their organization: %+v", own)
		}
		problem(t, errOf(admin.CreateRole(bg, &oas.RoleCreate{Name: "boss", Tier: 1})), http.StatusForbidden, "tier_escalation")

		// Scope: other organizations' things do not exist for the administrator.
		problem(t, errOf(admin.GetUser(bg, oas.GetUserParams{ID: stranger.ID})), http.StatusNotFound, "user_not_found")
		problem(t, errOf(admin.DeactivateUser(bg, oas.DeactivateUserParams{ID: stranger.ID})), http.StatusNotFound, "user_not_found")
		problem(t, errOf(admin.GetOrganization(bg, oas.GetOrganizationParams{ID: theirs.ID})), http.StatusNotFound, "organization_not_found")
		problem(t, errOf(admin.CreateWorkspace(bg, &oas.WorkspaceCreate{Name: "W", Slug: "w", OrganizationID: theirs.ID})), http.StatusUnprocessableEntity, "reference_not_found", "organization_id")
		if l := ok(admin.ListUsers(bg, oas.ListUsersParams{}))(t); l.Total != 2 {
			t.Fatalf("administrator sees %d users, want the 2 of their organization", l.Total)
		}
		if l := ok(admin.ListUsers(bg, oas.ListUsersParams{OrganizationID: oas.NewOptUUID(theirs.ID)}))(t); l.Total != 0 {
			t.Fatalf("filtering by another organization shows %d users", l.Total)
		}

		// The last active super administrator.
		me := a.adminID(t)
		problem(t, errOf(root.DeactivateUser(bg, oas.DeactivateUserParams{ID: me})), http.StatusConflict, "last_super_administrator")
		problem(t, root.DeleteUser(bg, oas.DeleteUserParams{ID: me}), http.StatusConflict, "last_super_administrator")
		problem(t, root.RevokeUserRole(bg, oas.RevokeUserRoleParams{ID: me, RoleId: superRole}), http.StatusConflict, "last_super_administrator")
		second, secondClient := a.user(t, a.defaultOrg(t), superRole)
		ok(0, root.RevokeUserRole(bg, oas.RevokeUserRoleParams{ID: me, RoleId: superRole}))(t)
		problem(t, errOf(secondClient.DeactivateUser(bg, oas.DeactivateUserParams{ID: second.ID})), http.StatusConflict, "last_super_administrator")
	})
}

// TestIAMPagination walks 250 users with cursors and with offsets: no gaps, no repeats.
func TestIAMPagination(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, a *api) {
		_, _, o := a.hierarchy(t)
		created := map[string]bool{}
		for i := range 250 {
			u := ok(a.root.CreateUser(bg, &oas.UserCreate{Email: unique("p") + "@example.com", Password: userPassword,
				LastName: string(rune('a' + i%26)), OrganizationID: o.ID}))(t)
			created[u.ID.String()] = true
		}
		for _, sort := range []oas.ListUsersSort{oas.ListUsersSortCreatedAt, oas.ListUsersSortMinusCreatedAt, oas.ListUsersSortEmail, oas.ListUsersSortMinusLastName} {
			t.Run(string(sort), func(t *testing.T) {
				seen := map[string]bool{}
				params := oas.ListUsersParams{OrganizationID: oas.NewOptUUID(o.ID), Limit: oas.NewOptInt(37), Sort: oas.NewOptListUsersSort(sort)}
				var order []string
				for pages := 0; ; pages++ {
					l := ok(a.root.ListUsers(bg, params))(t)
					if l.Total != 250 || pages > 10 {
						t.Fatalf("total %d after %d pages", l.Total, pages)
					}
					for _, u := range l.Items {
						if seen[u.ID.String()] || !created[u.ID.String()] {
							t.Fatalf("repeated or foreign user %s", u.ID)
						}
						seen[u.ID.String()] = true
						order = append(order, u.ID.String())
					}
					c, more := l.NextCursor.Get()
					if !more {
						break
					}
					params.Cursor = oas.NewOptString(c)
				}
				if len(seen) != 250 {
					t.Fatalf("walked %d of 250", len(seen))
				}
				// Offsets give the same order.
				var byOffset []string
				for off := 0; off < 250; off += 100 {
					l := ok(a.root.ListUsers(bg, oas.ListUsersParams{OrganizationID: oas.NewOptUUID(o.ID), Limit: oas.NewOptInt(100),
						Offset: oas.NewOptInt(off), Sort: oas.NewOptListUsersSort(sort)}))(t)
					for _, u := range l.Items {
						byOffset = append(byOffset, u.ID.String())
					}
				}
				if strings.Join(byOffset, ",") != strings.Join(order, ",") {
					t.Fatal("offset and cursor pagination disagree")
				}
			})
		}
		problem(t, errOf(a.root.ListUsers(bg, oas.ListUsersParams{Cursor: oas.NewOptString("garbage")})), http.StatusBadRequest, "invalid_cursor", "cursor")
		problem(t, errOf(a.root.ListUsers(bg, oas.ListUsersParams{Limit: oas.NewOptInt(101)})), http.StatusBadRequest, "validation_failed", "limit")
	})
}

// TestIAMChangesReachAuthorization: grants and revocations take effect on the very next
// request (the events invalidate the decision cache synchronously).
func TestIAMChangesReachAuthorization(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, a *api) {
		org := a.defaultOrg(t)
		u, client := a.user(t, org, a.systemRole(t, "viewer"))
		create := func() error {
			_, err := client.CreateWorkspace(bg, &oas.WorkspaceCreate{Name: "W", Slug: oas.Slug(unique("w")), OrganizationID: org})
			return err
		}
		problem(t, create(), http.StatusForbidden, "permission_denied")
		developer := a.systemRole(t, "developer")
		ok(a.root.AssignUserRole(bg, &oas.RoleRef{RoleID: developer}, oas.AssignUserRoleParams{ID: u.ID}))(t)
		ok(0, create())(t)
		ok(0, a.root.RevokeUserRole(bg, oas.RevokeUserRoleParams{ID: u.ID, RoleId: developer}))(t)
		problem(t, create(), http.StatusForbidden, "permission_denied")
		// Through a group, and through a role's own permissions.
		role := ok(a.root.CreateRole(bg, &oas.RoleCreate{Name: "builder", Tier: 3}))(t)
		grp := ok(a.root.CreateGroup(bg, &oas.GroupCreate{Name: "builders", OrganizationID: org}))(t)
		ok(a.root.AddGroupRole(bg, &oas.RoleRef{RoleID: role.ID}, oas.AddGroupRoleParams{ID: grp.ID}))(t)
		ok(0, a.root.AddGroupMember(bg, &oas.UserRef{UserID: u.ID}, oas.AddGroupMemberParams{ID: grp.ID}))(t)
		problem(t, create(), http.StatusForbidden, "permission_denied")
		ok(a.root.AddRolePermission(bg, &oas.PermissionRef{PermissionID: a.permission(t, "workspace:create")}, oas.AddRolePermissionParams{ID: role.ID}))(t)
		ok(0, create())(t)
		ok(0, a.root.DeleteGroup(bg, oas.DeleteGroupParams{ID: grp.ID}))(t)
		problem(t, create(), http.StatusForbidden, "permission_denied")
	})
}

// whoami makes the cheapest authenticated request (a decision about oneself): it answers 401
// once the caller's session is gone.
func whoami(c *oas.Client) (*oas.AuthzCheckResponse, error) {
	return c.CheckAuthorization(bg, &oas.AuthzCheckRequest{Checks: []oas.AuthzCheck{{Permission: "user:read"}}})
}
