package entstore_test

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/telemetryflow/core/ent/organization"
	"github.com/telemetryflow/core/ent/permission"
	"github.com/telemetryflow/core/ent/role"
	"github.com/telemetryflow/core/ent/user"
	"github.com/telemetryflow/core/internal/authz"
	"github.com/telemetryflow/core/internal/authz/entstore"
	"github.com/telemetryflow/core/internal/database"
	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/password"
	"github.com/telemetryflow/core/internal/seed"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
)

func TestSubjectCollectsEveryGrantWithItsSource(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		h, _ := password.New(password.Config{MemoryKiB: 8 * 1024, Iterations: 1, Parallelism: 1})
		res, err := seed.Run(ctx, db.Ent, seed.Config{AdminEmail: "root@example.com", AdminPassword: "a-password-123", Hasher: h, GeneratePassword: password.Generate})
		if err != nil {
			t.Fatal(err)
		}
		c := db.Ent
		org := c.Organization.Query().Where(organization.SlugEQ(seed.DefaultSlug)).OnlyX(ctx)
		viewer := c.Role.Query().Where(role.NameEQ(rbac.RoleViewer)).OnlyX(ctx)
		developer := c.Role.Query().Where(role.NameEQ(rbac.RoleDeveloper)).OnlyX(ctx)
		export := c.Permission.Query().Where(permission.NameEQ("audit:export")).OnlyX(ctx)
		u := c.User.Create().SetEmail("dev@example.com").SetPasswordHash("x").SetOrganizationID(org.ID).SetStatus(user.StatusActive).SaveX(ctx)
		c.UserRole.Create().SetUserID(u.ID).SetRoleID(viewer.ID).ExecX(ctx)
		g := c.Group.Create().SetName("builders").SetOrganizationID(org.ID).SaveX(ctx)
		c.GroupMember.Create().SetGroupID(g.ID).SetUserID(u.ID).ExecX(ctx)
		c.GroupRole.Create().SetGroupID(g.ID).SetRoleID(developer.ID).ExecX(ctx)
		c.UserPermission.Create().SetUserID(u.ID).SetPermissionID(export.ID).ExecX(ctx)
		// A deleted group's roles must not count.
		dead := c.Group.Create().SetName("gone").SetOrganizationID(org.ID).SetDeletedAt(time.Now()).SaveX(ctx)
		c.GroupMember.Create().SetGroupID(dead.ID).SetUserID(u.ID).ExecX(ctx)
		admin := c.Role.Query().Where(role.NameEQ(rbac.RoleAdministrator)).OnlyX(ctx)
		c.GroupRole.Create().SetGroupID(dead.ID).SetRoleID(admin.ID).ExecX(ctx)

		store := entstore.New(c)
		sub, err := store.Subject(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !sub.Exists || !sub.Active || sub.OrganizationID != org.ID || sub.TenantID != org.TenantID {
			t.Fatalf("subject %+v", sub)
		}
		kinds := map[authz.GrantKind]int{}
		for _, gr := range sub.Grants {
			kinds[gr.Kind]++
			if gr.Kind == authz.GrantGroup && (gr.GroupName != "builders" || gr.RoleName != rbac.RoleDeveloper) {
				t.Fatalf("group grant %+v", gr)
			}
			if gr.RoleName == rbac.RoleAdministrator {
				t.Fatal("a deleted group's role leaked into the grants")
			}
		}
		sys := map[string]int{}
		for _, sr := range rbac.SystemRoles() {
			sys[sr.Name] = len(sr.Permissions)
		}
		if kinds[authz.GrantRole] != sys[rbac.RoleViewer] || kinds[authz.GrantGroup] != sys[rbac.RoleDeveloper] || kinds[authz.GrantDirect] != 1 {
			t.Fatalf("grant counts %v", kinds)
		}
		var names []string
		for _, r := range sub.Roles {
			names = append(names, r.Name)
		}
		sort.Strings(names)
		if len(names) != 2 || names[0] != rbac.RoleDeveloper || names[1] != rbac.RoleViewer {
			t.Fatalf("roles %v", names)
		}

		adminSub, err := store.Subject(ctx, res.AdminID)
		if err != nil || len(adminSub.Roles) != 1 || adminSub.Roles[0].Name != rbac.RoleSuperAdministrator || !adminSub.Roles[0].System {
			t.Fatalf("admin subject %+v %v", adminSub, err)
		}
		gone, err := store.Subject(ctx, org.ID) // not a user id
		if err != nil || gone.Exists {
			t.Fatalf("unknown user: %+v %v", gone, err)
		}
		names2, err := store.PermissionNames(ctx)
		if err != nil || len(names2) != len(rbac.Catalog()) {
			t.Fatalf("permission names %d %v", len(names2), err)
		}
	})
}
