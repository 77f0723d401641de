package authz_test

import (
	"context"
	"errors"
	"testing"

	"github.com/telemetryflow/core/ent/permission"
	"github.com/telemetryflow/core/ent/role"
	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/oas"
)

func status(err error) (int, string) {
	var p *oas.ProblemStatusCodeWithHeaders
	if errors.As(err, &p) {
		return p.StatusCode, p.Response.Code
	}
	if err != nil {
		return -1, err.Error()
	}
	return 200, ""
}

// Escalation attempts are refused with 403, whichever rule catches them.
func TestTierEscalationAttempts(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, srv *apitest.Server) {
		ctx := context.Background()
		db := srv.DB(t)
		roleID := func(name string) oas.RoleRef {
			return oas.RoleRef{RoleID: db.Ent.Role.Query().Where(role.NameEQ(name)).OnlyX(ctx).ID}
		}
		victim := srv.CreateUser(t, apitest.UserSpec{Email: "victim@example.com", Password: pw})
		srv.CreateUser(t, apitest.UserSpec{Email: "dev@example.com", Password: pw, Roles: []string{rbac.RoleDeveloper}})
		admID := srv.CreateUser(t, apitest.UserSpec{Email: "adm@example.com", Password: pw, Roles: []string{rbac.RoleAdministrator}})
		dev, _ := srv.Login(t, "dev@example.com", pw)
		adm, _ := srv.Login(t, "adm@example.com", pw)
		sysAdmin := oas.PermissionRef{PermissionID: db.Ent.Permission.Query().Where(permission.NameEQ("system:admin")).OnlyX(ctx).ID}
		cases := []struct {
			name string
			err  error
			code string
		}{
			{"developer grants administrator", errOnly(dev.AssignUserRole(ctx, ptr(roleID(rbac.RoleAdministrator)), oas.AssignUserRoleParams{ID: victim})), "permission_denied"},
			{"administrator grants super_administrator", errOnly(adm.AssignUserRole(ctx, ptr(roleID(rbac.RoleSuperAdministrator)), oas.AssignUserRoleParams{ID: victim})), "tier_escalation"},
			{"administrator makes itself super_administrator", errOnly(adm.AssignUserRole(ctx, ptr(roleID(rbac.RoleSuperAdministrator)), oas.AssignUserRoleParams{ID: admID})), "tier_escalation"},
			{"administrator grants a permission it does not hold", errOnly(adm.GrantUserPermission(ctx, &sysAdmin, oas.GrantUserPermissionParams{ID: victim})), "permission_escalation"},
		}
		for _, tc := range cases {
			if st, code := status(tc.err); st != 403 || code != tc.code {
				t.Errorf("%s: %d %s, want 403 %s", tc.name, st, code, tc.code)
			}
		}
		// Nothing was granted.
		if n := db.Ent.UserRole.Query().CountX(ctx); n != 3 { // bootstrap admin, dev, adm
			t.Fatalf("%d role assignments after the attempts", n)
		}
	})
}

// The takeover the acting-on rule closes: an organization administrator resets the password
// of a colleague who holds system:admin directly (no role, so the weakest tier by label) to log
// in as them. Refused, and the colleague's own password still works.
func TestAdministratorCannotTakeOverDirectPermissionHolder(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, srv *apitest.Server) {
		ctx := context.Background()
		db := srv.DB(t)
		holder := srv.CreateUser(t, apitest.UserSpec{Email: "holder@example.com", Password: pw})
		db.Ent.UserPermission.Create().SetUserID(holder).
			SetPermissionID(db.Ent.Permission.Query().Where(permission.NameEQ("system:admin")).OnlyX(ctx).ID).ExecX(ctx)
		srv.CreateUser(t, apitest.UserSpec{Email: "adm@example.com", Password: pw, Roles: []string{rbac.RoleAdministrator}})
		adm, _ := srv.Login(t, "adm@example.com", pw)

		err := adm.ResetUserPassword(ctx, &oas.ResetPasswordRequest{NewPassword: "the administrator's choice"}, oas.ResetUserPasswordParams{ID: holder})
		if st, code := status(err); st != 403 || code != "permission_escalation" {
			t.Fatalf("reset: %d %s, want 403 permission_escalation", st, code)
		}
		if _, err := srv.Client.Login(ctx, &oas.LoginRequest{Email: "holder@example.com", Password: "the administrator's choice"}); err == nil {
			t.Fatal("the administrator logged in as the holder")
		}
		srv.Login(t, "holder@example.com", pw)
	})
}

// A change to a role's permissions reaches every holder on their next request.
func TestRolePermissionChangeReachesAllHolders(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, srv *apitest.Server) {
		ctx := context.Background()
		root := srv.LoginAdmin(t)
		custom, err := root.CreateRole(ctx, &oas.RoleCreate{Name: "auditor", Tier: 4})
		if err != nil {
			t.Fatal(err)
		}
		var clients []*oas.Client
		for _, email := range []string{"h1@example.com", "h2@example.com", "h3@example.com"} {
			id := srv.CreateUser(t, apitest.UserSpec{Email: email, Password: pw})
			if _, err := root.AssignUserRole(ctx, &oas.RoleRef{RoleID: custom.ID}, oas.AssignUserRoleParams{ID: id}); err != nil {
				t.Fatal(err)
			}
			c, _ := srv.Login(t, email, pw)
			clients = append(clients, c)
		}
		list := func(c *oas.Client) int {
			st, _ := status(errOnly(c.ListRegions(ctx, oas.ListRegionsParams{})))
			return st
		}
		for _, c := range clients {
			if st := list(c); st != 403 { // warm every holder's cache with a denial
				t.Fatalf("before: %d", st)
			}
		}
		perm := srv.DB(t).Ent.Permission.Query().Where(permission.NameEQ("region:read")).OnlyX(ctx).ID
		if _, err := root.AddRolePermission(ctx, &oas.PermissionRef{PermissionID: perm}, oas.AddRolePermissionParams{ID: custom.ID}); err != nil {
			t.Fatal(err)
		}
		for i, c := range clients {
			if st := list(c); st != 200 {
				t.Fatalf("holder %d after the grant: %d", i, st)
			}
		}
		if err := root.RemoveRolePermission(ctx, oas.RemoveRolePermissionParams{ID: custom.ID, PermissionId: perm}); err != nil {
			t.Fatal(err)
		}
		for i, c := range clients {
			if st := list(c); st != 403 {
				t.Fatalf("holder %d after the revocation: %d", i, st)
			}
		}
	})
}

func errOnly[T any](_ T, err error) error { return err }
func ptr[T any](v T) *T                   { return &v }
