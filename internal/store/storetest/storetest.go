// Package storetest is the store layer's side of the test utilities: the database with the
// generated client over it, for tests that assert on stored rows, and fixtures that write rows
// directly. Packages outside the store layer never import ent themselves; tests reach it
// through here.
package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/ent/organization"
	"github.com/telemetryflow/core/ent/role"
	"github.com/telemetryflow/core/ent/tenant"
	"github.com/telemetryflow/core/ent/user"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/platform/pagecursor"
	"github.com/telemetryflow/core/internal/platform/sqldb"
	"github.com/telemetryflow/core/internal/store"
	"github.com/telemetryflow/core/internal/store/seed"
)

// DB is a database with the generated client over it.
type DB struct {
	*sqldb.DB
	// Ent is for assertions on stored rows and for fixtures.
	Ent *ent.Client
}

// Wrap puts the generated client over db.
func Wrap(db *sqldb.DB) *DB { return &DB{DB: db, Ent: store.Open(db)} }

// FlushBeforeAuditReads makes every query on audit rows call flush first: the audit pipeline
// stores events in the background, and a test must see what its requests recorded.
func (d *DB) FlushBeforeAuditReads(flush func(context.Context) error) {
	d.Ent.AuditLog.Intercept(ent.InterceptFunc(func(next ent.Querier) ent.Querier {
		return ent.QuerierFunc(func(ctx context.Context, q ent.Query) (ent.Value, error) {
			if err := flush(ctx); err != nil {
				return nil, err
			}
			return next.Query(ctx, q)
		})
	}))
}

// Cursors is a page-cursor codec with a fixed test key.
func Cursors(t testing.TB) *pagecursor.Codec {
	t.Helper()
	c, err := pagecursor.New([]byte("iamtest-page-cursor-key-32-bytes"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Store builds the store over the database (no publisher: events stay in the outbox).
func (d *DB) Store(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.New(store.Config{Client: d.Ent, Dialect: d.Dialect, Cursors: Cursors(t)})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// Seeded is what seed.Run created that fixtures refer to.
type Seeded struct {
	DefaultOrg, DefaultTenant, DefaultRegion, DemoOrg uuid.UUID
	// SystemRoles are the system roles by name.
	SystemRoles map[string]uuid.UUID
}

// Seeded reads the seeded hierarchy and system roles.
func (d *DB) Seeded(ctx context.Context) (Seeded, error) {
	out := Seeded{SystemRoles: map[string]uuid.UUID{}}
	var err error
	if out.DefaultOrg, err = d.Organization(ctx, seed.DefaultSlug); err != nil {
		return out, err
	}
	if out.DemoOrg, err = d.Organization(ctx, seed.DemoSlug); err != nil {
		return out, err
	}
	o, err := d.Ent.Organization.Query().Where(organization.IDEQ(out.DefaultOrg)).WithTenant().Only(ctx)
	if err != nil {
		return out, err
	}
	out.DefaultTenant, out.DefaultRegion = o.TenantID, o.Edges.Tenant.RegionID
	rs, err := d.Ent.Role.Query().Where(role.SystemRoleEQ(true)).All(ctx)
	if err != nil {
		return out, err
	}
	for _, r := range rs {
		out.SystemRoles[r.Name] = r.ID
	}
	return out, nil
}

// Organization returns the id of the seeded organization slug (whose tenant has the same slug).
func (d *DB) Organization(ctx context.Context, slug string) (uuid.UUID, error) {
	o, err := d.Ent.Organization.Query().Where(organization.SlugEQ(slug), organization.DeletedAtIsNil(),
		organization.HasTenantWith(tenant.SlugEQ(slug))).Only(ctx)
	if err != nil {
		return uuid.Nil, fmt.Errorf("storetest: organization %s: %w", slug, err)
	}
	return o.ID, nil
}

// InsertUser writes a user row as it is, with global system roles by name granted directly,
// bypassing the application (fixtures for tests of other areas).
func (d *DB) InsertUser(ctx context.Context, u *iam.User, roles ...string) error {
	row, err := d.Ent.User.Create().SetEmail(u.Email).SetPasswordHash(u.PasswordHash).SetFirstName(u.FirstName).
		SetLastName(u.LastName).SetOrganizationID(u.OrganizationID).SetStatus(user.Status(u.Status)).Save(ctx)
	if err != nil {
		return err
	}
	u.ID = row.ID
	for _, name := range roles {
		r, err := d.Ent.Role.Query().Where(role.NameEQ(name), role.ScopeKeyEQ(seed.GlobalScope), role.DeletedAtIsNil()).Only(ctx)
		if err != nil {
			return fmt.Errorf("storetest: role %s: %w", name, err)
		}
		if err := d.Ent.UserRole.Create().SetUserID(row.ID).SetRoleID(r.ID).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}
