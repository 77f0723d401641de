package auth_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent/organization"
	"github.com/telemetryflow/core/ent/role"
	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/store/seed"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/oas"
)

// must fails the test on err: must(call())(t).
func must[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// statusOf is the HTTP status an API call answered (200 for success).
func statusOf(err error) int {
	var p *oas.ProblemStatusCodeWithHeaders
	if err == nil {
		return 200
	}
	if asProblem(err, &p) {
		return p.StatusCode
	}
	return -1
}

// Setting a region, tenant or organization inactive suspends everyone under it: tokens are
// refused on their next request (the caches would otherwise trust them for an hour), refresh
// and login fail with the usual generic errors, the decision API denies them; reactivation
// restores it all. Nobody may deactivate their own organization, nor the tenant or region
// above it.
func TestInactiveHierarchySuspendsAccess(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			srv := apitest.Start(t, dia, apitest.WithEnv("TF_SESSION_CACHE_TTL", "1h"), apitest.WithEnv("TF_PERMISSION_CACHE_TTL", "1h"))
			admin := srv.LoginAdmin(t)
			region := must(admin.CreateRegion(ctx, &oas.RegionCreate{Name: "Far", Code: "far-1"}))(t)
			tenant := must(admin.CreateTenant(ctx, &oas.TenantCreate{Name: "Acme", Slug: "acme", RegionID: region.ID}))(t)
			org := must(admin.CreateOrganization(ctx, &oas.OrganizationCreate{Name: "Acme Eng", Slug: "eng", TenantID: tenant.ID}))(t)
			const pw = "a-password-for-acme"
			newMember := func(email string) uuid.UUID {
				u := must(admin.CreateUser(ctx, &oas.UserCreate{Email: email, Password: pw, FirstName: "A", LastName: "B", OrganizationID: org.ID}))(t)
				must(admin.ActivateUser(ctx, oas.ActivateUserParams{ID: u.ID}))(t)
				return u.ID
			}
			newMember("worker@acme.example")
			bossID := newMember("boss@acme.example")
			adminRole := srv.DB(t).Ent.Role.Query().Where(role.NameEQ(rbac.RoleAdministrator), role.ScopeKeyEQ(seed.GlobalScope)).OnlyX(ctx)
			must(admin.AssignUserRole(ctx, &oas.RoleRef{RoleID: adminRole.ID}, oas.AssignUserRoleParams{ID: bossID}))(t)
			bossMay := func() oas.AuthzResult {
				res := must(admin.CheckAuthorization(ctx, &oas.AuthzCheckRequest{Checks: []oas.AuthzCheck{{
					UserID: oas.NewOptUUID(bossID), Permission: "user:read", OrganizationID: oas.NewOptUUID(org.ID)}}}))(t)
				return res.Results[0]
			}

			levels := []struct {
				name string
				set  func(active bool) error
			}{
				{"organization", func(a bool) error {
					_, err := admin.UpdateOrganization(ctx, &oas.OrganizationUpdate{Active: oas.NewOptBool(a)}, oas.UpdateOrganizationParams{ID: org.ID})
					return err
				}},
				{"tenant", func(a bool) error {
					_, err := admin.UpdateTenant(ctx, &oas.TenantUpdate{Active: oas.NewOptBool(a)}, oas.UpdateTenantParams{ID: tenant.ID})
					return err
				}},
				{"region", func(a bool) error {
					_, err := admin.UpdateRegion(ctx, &oas.RegionUpdate{Active: oas.NewOptBool(a)}, oas.UpdateRegionParams{ID: region.ID})
					return err
				}},
			}
			for _, lv := range levels {
				worker, tok := srv.Login(t, "worker@acme.example", pw)
				boss, _ := srv.Login(t, "boss@acme.example", pw)
				// Warm every cache: the token, the session, the decision subject.
				if st := statusOf(errOnly(worker.GetMe(ctx))); st != 200 {
					t.Fatalf("%s: before: %d", lv.name, st)
				}
				if st := statusOf(errOnly(boss.ListUsers(ctx, oas.ListUsersParams{}))); st != 200 {
					t.Fatalf("%s: boss before: %d", lv.name, st)
				}
				if r := bossMay(); !r.Allowed {
					t.Fatalf("%s: decision before: %+v", lv.name, r)
				}

				if err := lv.set(false); err != nil {
					t.Fatalf("deactivate %s: %v", lv.name, err)
				}
				if st := statusOf(errOnly(worker.GetMe(ctx))); st != 401 {
					t.Fatalf("%s inactive: token answered %d, want 401", lv.name, st)
				}
				if st := statusOf(errOnly(boss.ListUsers(ctx, oas.ListUsersParams{}))); st != 401 {
					t.Fatalf("%s inactive: boss's token answered %d, want 401", lv.name, st)
				}
				_, err := srv.Client.RefreshToken(ctx, &oas.RefreshRequest{RefreshToken: tok.RefreshToken})
				if p := problemOf(t, err, 401); p.Response.Code != "invalid_refresh_token" {
					t.Fatalf("%s inactive: refresh %+v", lv.name, p.Response)
				}
				if got := tryLogin(t, srv.Client, "worker@acme.example", pw); got != (attempt{status: 401}) {
					t.Fatalf("%s inactive: login %+v", lv.name, got)
				}
				if r := bossMay(); r.Allowed || r.Reason != "user_inactive" {
					t.Fatalf("%s inactive: decision %+v", lv.name, r)
				}

				if err := lv.set(true); err != nil {
					t.Fatalf("reactivate %s: %v", lv.name, err)
				}
				if st := statusOf(errOnly(worker.GetMe(ctx))); st != 200 {
					t.Fatalf("%s reactivated: token answered %d", lv.name, st)
				}
				if _, err := srv.Client.RefreshToken(ctx, &oas.RefreshRequest{RefreshToken: tok.RefreshToken}); err != nil {
					t.Fatalf("%s reactivated: refresh: %v", lv.name, err)
				}
				if got := tryLogin(t, srv.Client, "worker@acme.example", pw); got.status != 200 {
					t.Fatalf("%s reactivated: login %+v", lv.name, got)
				}
				if r := bossMay(); !r.Allowed {
					t.Fatalf("%s reactivated: decision %+v", lv.name, r)
				}
			}
			db := srv.DB(t)
			if auditRows(t, db, "token_rejected", "organization_inactive") < 3 || auditRows(t, db, "login", "organization_inactive") != 3 ||
				auditRows(t, db, "refresh", "organization_inactive") != 3 {
				t.Fatal("the refusals are not audited with reason organization_inactive")
			}

			// Nobody deactivates their own organization, or what holds it.
			boss, _ := srv.Login(t, "boss@acme.example", pw)
			_, err := boss.UpdateOrganization(ctx, &oas.OrganizationUpdate{Active: oas.NewOptBool(false)}, oas.UpdateOrganizationParams{ID: org.ID})
			if p := problemOf(t, err, 409); p.Response.Code != "own_organization_deactivation" {
				t.Fatalf("administrator deactivating own organization: %+v", p.Response)
			}
			home := db.Ent.Organization.Query().Where(organization.ID(srv.OrganizationID(t, seed.DefaultSlug))).WithTenant().OnlyX(ctx)
			for name, call := range map[string]func() error{
				"organization": func() error {
					_, err := admin.UpdateOrganization(ctx, &oas.OrganizationUpdate{Active: oas.NewOptBool(false)}, oas.UpdateOrganizationParams{ID: home.ID})
					return err
				},
				"tenant": func() error {
					_, err := admin.UpdateTenant(ctx, &oas.TenantUpdate{Active: oas.NewOptBool(false)}, oas.UpdateTenantParams{ID: home.TenantID})
					return err
				},
				"region": func() error {
					_, err := admin.UpdateRegion(ctx, &oas.RegionUpdate{Active: oas.NewOptBool(false)}, oas.UpdateRegionParams{ID: home.Edges.Tenant.RegionID})
					return err
				},
			} {
				if p := problemOf(t, call(), 409); p.Response.Code != "own_organization_deactivation" {
					t.Fatalf("super administrator deactivating own %s: %+v", name, p.Response)
				}
			}
			if st := statusOf(errOnly(boss.ListUsers(ctx, oas.ListUsersParams{}))); st != 200 {
				t.Fatalf("after the refused deactivation: %d", st)
			}
			if st := statusOf(errOnly(admin.GetMe(ctx))); st != 200 {
				t.Fatalf("super administrator after the refused deactivations: %d", st)
			}
		})
	}
}

func errOnly[T any](_ T, err error) error { return err }
