package auth_test

import (
	"context"
	"slices"
	"testing"

	"github.com/telemetryflow/core/ent/role"
	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/store/seed"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
)

func TestMeDescribesTheCaller(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			srv := apitest.Start(t, dia)
			admin, tok := srv.Login(t, apitest.AdminEmail, apitest.AdminPassword)
			me, err := admin.GetMe(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if me.User.Email != apitest.AdminEmail || me.SessionID != sessionOf(t, tok.AccessToken) || len(me.Roles) != 1 ||
				me.Roles[0].Name != rbac.RoleSuperAdministrator || !slices.Contains(me.Permissions, "system:admin") {
				t.Fatalf("admin me %+v", me)
			}
			// A role that reaches the user through a group is listed, with its permissions.
			devID := srv.CreateUser(t, apitest.UserSpec{Email: "dev@example.com", Password: "a-test-password-1", Roles: []string{rbac.RoleViewer}})
			db := srv.DB(t)
			org := srv.OrganizationID(t, seed.DefaultSlug)
			g := db.Ent.Group.Create().SetName("builders").SetOrganizationID(org).SaveX(ctx)
			db.Ent.GroupMember.Create().SetGroupID(g.ID).SetUserID(devID).ExecX(ctx)
			devRole := db.Ent.Role.Query().Where(role.NameEQ(rbac.RoleDeveloper)).OnlyX(ctx)
			db.Ent.GroupRole.Create().SetGroupID(g.ID).SetRoleID(devRole.ID).ExecX(ctx)
			dev, _ := srv.Login(t, "dev@example.com", "a-test-password-1")
			me, err = dev.GetMe(ctx)
			if err != nil {
				t.Fatal(err)
			}
			names := []string{}
			for _, r := range me.Roles {
				names = append(names, r.Name)
			}
			if !slices.Equal(names, []string{rbac.RoleDeveloper, rbac.RoleViewer}) || !slices.Contains(me.Permissions, "dashboard:create") ||
				slices.Contains(me.Permissions, "user:delete") || !me.TenantID.Set {
				t.Fatalf("developer me: roles %v perms %v", names, me.Permissions)
			}
		})
	}
}
