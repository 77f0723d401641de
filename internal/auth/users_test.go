package auth_test

import (
	"context"
	"testing"

	"github.com/telemetryflow/core/ent/organization"
	"github.com/telemetryflow/core/ent/user"
	"github.com/telemetryflow/core/internal/password"
	"github.com/telemetryflow/core/internal/seed"
	"github.com/telemetryflow/core/internal/testutil/apitest"
)

// insertActiveUser creates an active user in the default organization directly in the store,
// so authentication tests do not depend on the user-management API.
func insertActiveUser(t *testing.T, srv *apitest.Server, email, pw string) {
	t.Helper()
	ctx := context.Background()
	db := srv.DB(t)
	h, err := password.New(password.Config{MemoryKiB: 8 * 1024, Iterations: 1, Parallelism: 1})
	if err != nil {
		t.Fatal(err)
	}
	hash, err := h.Hash(ctx, pw)
	if err != nil {
		t.Fatal(err)
	}
	org := db.Ent.Organization.Query().Where(organization.SlugEQ(seed.DefaultSlug)).FirstX(ctx)
	db.Ent.User.Create().SetEmail(email).SetPasswordHash(hash).SetFirstName("Test").SetLastName("User").
		SetOrganizationID(org.ID).SetStatus(user.StatusActive).ExecX(ctx)
}
