package seed_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/telemetryflow/core/ent/permission"
	"github.com/telemetryflow/core/ent/role"
	"github.com/telemetryflow/core/ent/rolepermission"
	"github.com/telemetryflow/core/ent/user"
	"github.com/telemetryflow/core/internal/crypto/argon2"
	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/platform/sqldb"
	"github.com/telemetryflow/core/internal/store"
	"github.com/telemetryflow/core/internal/store/seed"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
)

func hasher(t *testing.T) *argon2.Hasher {
	h, err := argon2.New(argon2.Config{MemoryKiB: 8 * 1024, Iterations: 1, Parallelism: 1})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestSeedIsCompleteAndIdempotent(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		h := hasher(t)
		var announced bytes.Buffer
		cfg := seed.Config{AdminEmail: "root@example.com", Hasher: h, Announce: &announced,
			GeneratePassword: func() string { return "generated-password-123456" }}
		first, err := seed.Run(ctx, store.Open(db), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if first.PermissionsCreated != len(rbac.Catalog()) || first.RolesCreated != 5 || !first.AdminCreated {
			t.Fatalf("first run: %+v", first)
		}
		if !strings.Contains(announced.String(), "generated-password-123456") {
			t.Fatal("the generated password was not announced")
		}
		admin, err := store.Open(db).User.Query().Where(user.EmailEQ("root@example.com")).Only(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if admin.Status != user.StatusActive {
			t.Fatalf("admin status %s", admin.Status)
		}
		if ok, _, _ := h.Verify(ctx, "generated-password-123456", admin.PasswordHash); !ok {
			t.Fatal("the stored hash does not verify the announced password")
		}
		roles, err := admin.QueryRoles().All(ctx)
		if err != nil || len(roles) != 1 || roles[0].Name != rbac.RoleSuperAdministrator {
			t.Fatalf("admin roles %v, %v", roles, err)
		}
		for _, sr := range rbac.SystemRoles() {
			r, err := store.Open(db).Role.Query().Where(role.NameEQ(sr.Name), role.ScopeKeyEQ(seed.GlobalScope)).Only(ctx)
			if err != nil {
				t.Fatal(err)
			}
			n, err := store.Open(db).RolePermission.Query().Where(rolepermission.RoleID(r.ID)).Count(ctx)
			if err != nil || n != len(sr.Permissions) || r.Tier != int(sr.Tier) || !r.SystemRole {
				t.Fatalf("%s: %d grants (want %d), tier %d, system %v, err %v", sr.Name, n, len(sr.Permissions), r.Tier, r.SystemRole, err)
			}
		}
		for _, q := range []string{"regions", "tenants", "organizations", "workspaces"} {
			var n int
			if err := db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM "+q).Scan(&n); err != nil {
				t.Fatal(err)
			}
			want := 2 // default and demo
			if q == "regions" {
				want = 1
			}
			if n != want {
				t.Errorf("%s: %d rows, want %d", q, n, want)
			}
		}

		announced.Reset()
		cfg.AdminEmail = "other@example.com"
		second, err := seed.Run(ctx, store.Open(db), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if second.PermissionsCreated != 0 || second.RolesCreated != 0 || second.AdminCreated || announced.Len() != 0 || second.DemoOrganizationID != first.DemoOrganizationID {
			t.Fatalf("second run changed something: %+v, announced %q", second, announced.String())
		}
		if n, _ := store.Open(db).Permission.Query().Where(permission.SystemEQ(true)).Count(ctx); n != len(rbac.Catalog()) {
			t.Fatalf("%d system permissions after re-run", n)
		}
	})
}

func TestSeedRestoresDriftedSystemRoleGrants(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		cfg := seed.Config{AdminEmail: "root@example.com", AdminPassword: "a-fixed-password-123", Hasher: hasher(t),
			GeneratePassword: argon2.Generate}
		if _, err := seed.Run(ctx, store.Open(db), cfg); err != nil {
			t.Fatal(err)
		}
		viewer := store.Open(db).Role.Query().Where(role.NameEQ(rbac.RoleViewer)).OnlyX(ctx)
		del := store.Open(db).Permission.Query().Where(permission.NameEQ("user:delete")).OnlyX(ctx)
		store.Open(db).RolePermission.Create().SetRoleID(viewer.ID).SetPermissionID(del.ID).ExecX(ctx)
		if _, err := seed.Run(ctx, store.Open(db), cfg); err != nil {
			t.Fatal(err)
		}
		if store.Open(db).RolePermission.Query().Where(rolepermission.RoleID(viewer.ID), rolepermission.PermissionID(del.ID)).ExistX(ctx) {
			t.Fatal("viewer still holds user:delete after re-seeding")
		}
	})
}
