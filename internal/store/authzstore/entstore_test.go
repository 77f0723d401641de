package authzstore_test

import (
	"context"
	"testing"

	"github.com/telemetryflow/core/ent/organization"
	"github.com/telemetryflow/core/ent/permission"
	"github.com/telemetryflow/core/ent/role"
	"github.com/telemetryflow/core/ent/user"
	"github.com/telemetryflow/core/internal/app/authz"
	"github.com/telemetryflow/core/internal/crypto/argon2"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/platform/sqldb"
	"github.com/telemetryflow/core/internal/store"
	"github.com/telemetryflow/core/internal/store/authzstore"
	"github.com/telemetryflow/core/internal/store/seed"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/internal/testutil/iamtest"
)

// The subject combines the IAM store's standing and effective permissions; a decider built on
// it answers from the database state.
func TestSubjectFromTheIAMStore(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		h, _ := argon2.New(argon2.Config{MemoryKiB: 8 * 1024, Iterations: 1, Parallelism: 1})
		res, err := seed.Run(ctx, store.Open(db), seed.Config{AdminEmail: "root@example.com", AdminPassword: "a-password-123", Hasher: h, GeneratePassword: argon2.Generate})
		if err != nil {
			t.Fatal(err)
		}
		c := store.Open(db)
		org := c.Organization.Query().Where(organization.SlugEQ(seed.DefaultSlug)).FirstX(ctx)
		viewer := c.Role.Query().Where(role.NameEQ(rbac.RoleViewer)).OnlyX(ctx)
		export := c.Permission.Query().Where(permission.NameEQ("audit:export")).OnlyX(ctx)
		u := c.User.Create().SetEmail("dev@example.com").SetPasswordHash("x").SetOrganizationID(org.ID).SetStatus(user.StatusActive).SaveX(ctx)
		c.UserRole.Create().SetUserID(u.ID).SetRoleID(viewer.ID).ExecX(ctx)
		c.UserPermission.Create().SetUserID(u.ID).SetPermissionID(export.ID).ExecX(ctx)

		st, err := store.New(store.Config{Client: c, Dialect: db.Dialect, Cursors: iamtest.Cursors(t)})
		if err != nil {
			t.Fatal(err)
		}
		es := authzstore.New(c, st.Access())
		sub, err := es.Subject(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !sub.Exists || !sub.Active || sub.SuperAdmin || sub.BestTier != rbac.TierViewer || sub.OrganizationID != org.ID || sub.TenantID != org.TenantID {
			t.Fatalf("subject %+v", sub)
		}
		direct := 0
		for _, g := range sub.Grants {
			if g.Kind == iam.GrantDirect {
				direct++
			}
		}
		if direct != 1 || len(sub.Grants) < 2 {
			t.Fatalf("grants %+v", sub.Grants)
		}
		admin, err := es.Subject(ctx, res.AdminID)
		if err != nil || !admin.SuperAdmin || admin.BestTier != rbac.TierSuperAdministrator {
			t.Fatalf("admin %+v %v", admin, err)
		}
		if gone, err := es.Subject(ctx, org.ID); err != nil || gone.Exists {
			t.Fatalf("unknown user: %+v %v", gone, err)
		}
		d, err := authz.New(authz.Config{Store: es, TTL: 60e9, DemoOrganization: res.DemoOrganizationID, DemoRole: res.DemoRoleID})
		if err != nil {
			t.Fatal(err)
		}
		dec, err := d.Decide(ctx, authz.Check{UserID: u.ID, Permission: "audit:export"})
		if err != nil || !dec.Allowed || dec.Reason != "direct" {
			t.Fatalf("decision %+v %v", dec, err)
		}
		if names, err := es.PermissionNames(ctx); err != nil || len(names) != len(rbac.Catalog()) {
			t.Fatalf("permission names %d %v", len(names), err)
		}
	})
}
