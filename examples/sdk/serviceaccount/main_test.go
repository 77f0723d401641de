package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/store/seed"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/oas"
)

// The example runs against the real service with a viewer service account: the standard Go
// OAuth2 client gets a token at the token endpoint (the test server's port is not the one
// TF_PUBLIC_URL names, hence the override), and the decision API answers for it.
func TestServiceAccountExample(t *testing.T) {
	t.Parallel()
	srv := apitest.Start(t, dialect.SQLite)
	ctx := context.Background()
	root := srv.LoginAdmin(t)
	sa, err := root.CreateServiceAccount(ctx, &oas.ServiceAccountCreate{Name: "example", OrganizationID: srv.OrganizationID(t, seed.DefaultSlug)})
	if err != nil {
		t.Fatal(err)
	}
	roles, err := root.ListRoles(ctx, oas.ListRolesParams{Q: oas.NewOptString(rbac.RoleViewer)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := root.AssignUserRole(ctx, &oas.RoleRef{RoleID: roles.Items[0].ID}, oas.AssignUserRoleParams{ID: sa.ID}); err != nil {
		t.Fatal(err)
	}
	sec, err := root.CreateServiceAccountSecret(ctx, &oas.ClientSecretCreate{}, oas.CreateServiceAccountSecretParams{ID: sa.ID})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err = run(ctx, config{url: srv.URL, clientID: sa.ClientID, secret: sec.ClientSecret, scope: "user:read",
		tokenURL: srv.URL + "/oauth2/token"}, &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"got a Bearer token", `scope "user:read"`, "may user:read? true", "may user:delete? false"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
