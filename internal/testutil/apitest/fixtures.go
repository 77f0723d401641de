package apitest

import (
	"context"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent/organization"
	"github.com/telemetryflow/core/ent/role"
	"github.com/telemetryflow/core/ent/tenant"
	"github.com/telemetryflow/core/ent/user"
	"github.com/telemetryflow/core/internal/crypto/argon2"
	"github.com/telemetryflow/core/internal/store/seed"
)

// fixtureHasher matches the cheap parameters test servers run with.
var fixtureHasher = sync.OnceValues(func() (*argon2.Hasher, error) {
	return argon2.New(argon2.Config{MemoryKiB: 8 * 1024, Iterations: 1, Parallelism: 1})
})

// UserSpec describes a user created directly in the store, bypassing the management API, for
// tests of other areas.
type UserSpec struct {
	Email    string
	Password string
	// OrgSlug is the seeded organization: seed.DefaultSlug (default) or seed.DemoSlug.
	OrgSlug string
	// Roles are global (system) role names assigned directly.
	Roles  []string
	Status user.Status // default active
}

// CreateUser inserts the user and returns its id.
func (s *Server) CreateUser(t testing.TB, spec UserSpec) uuid.UUID {
	t.Helper()
	ctx := context.Background()
	db := s.DB(t)
	if spec.OrgSlug == "" {
		spec.OrgSlug = seed.DefaultSlug
	}
	if spec.Status == "" {
		spec.Status = user.StatusActive
	}
	h, err := fixtureHasher()
	if err != nil {
		t.Fatal(err)
	}
	hash, err := h.Hash(ctx, spec.Password)
	if err != nil {
		t.Fatal(err)
	}
	org, err := db.Ent.Organization.Query().Where(organization.SlugEQ(spec.OrgSlug),
		organization.HasTenantWith(tenant.SlugEQ(spec.OrgSlug))).Only(ctx)
	if err != nil {
		t.Fatalf("apitest: organization %s: %v", spec.OrgSlug, err)
	}
	u, err := db.Ent.User.Create().SetEmail(spec.Email).SetPasswordHash(hash).SetFirstName("Test").SetLastName("User").
		SetOrganizationID(org.ID).SetStatus(spec.Status).Save(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range spec.Roles {
		r, err := db.Ent.Role.Query().Where(role.NameEQ(name), role.ScopeKeyEQ(seed.GlobalScope), role.DeletedAtIsNil()).Only(ctx)
		if err != nil {
			t.Fatalf("apitest: role %s: %v", name, err)
		}
		db.Ent.UserRole.Create().SetUserID(u.ID).SetRoleID(r.ID).ExecX(ctx)
	}
	return u.ID
}

// OrganizationID returns a seeded organization's id.
func (s *Server) OrganizationID(t testing.TB, slug string) uuid.UUID {
	t.Helper()
	o, err := s.DB(t).Ent.Organization.Query().Where(organization.SlugEQ(slug), organization.HasTenantWith(tenant.SlugEQ(slug))).Only(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return o.ID
}
