package apitest

import (
	"context"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/crypto/argon2"
	"github.com/telemetryflow/core/internal/domain/iam"
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
	Status iam.UserStatus // default active
}

// CreateUser inserts the user and returns its id.
func (s *Server) CreateUser(t testing.TB, spec UserSpec) uuid.UUID {
	t.Helper()
	ctx := context.Background()
	if spec.OrgSlug == "" {
		spec.OrgSlug = seed.DefaultSlug
	}
	if spec.Status == "" {
		spec.Status = iam.StatusActive
	}
	h, err := fixtureHasher()
	if err != nil {
		t.Fatal(err)
	}
	hash, err := h.Hash(ctx, spec.Password)
	if err != nil {
		t.Fatal(err)
	}
	u := &iam.User{Email: spec.Email, PasswordHash: hash, FirstName: "Test", LastName: "User",
		OrganizationID: s.OrganizationID(t, spec.OrgSlug), Status: spec.Status}
	if err := s.DB(t).InsertUser(ctx, u, spec.Roles...); err != nil {
		t.Fatalf("apitest: %v", err)
	}
	return u.ID
}

// OrganizationID returns a seeded organization's id.
func (s *Server) OrganizationID(t testing.TB, slug string) uuid.UUID {
	t.Helper()
	id, err := s.DB(t).Organization(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
