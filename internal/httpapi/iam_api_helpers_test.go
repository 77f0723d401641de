package httpapi_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/store/seed"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/oas"
)

var bg = context.Background()

// eachDialect runs body against a fresh server per dialect, in parallel.
func eachDialect(t *testing.T, body func(t *testing.T, a *api)) {
	t.Helper()
	apitest.Each(t, func(t *testing.T, srv *apitest.Server) {
		body(t, &api{srv: srv, root: srv.LoginAdmin(t)})
	})
}

// api is a running server and a client logged in as its super administrator.
type api struct {
	srv  *apitest.Server
	root *oas.Client
}

// ok unwraps a (value, error) result: ok(c.Op(...))(t).
func ok[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", describe(err))
		}
		return v
	}
}

func describe(err error) string {
	var p *oas.ProblemStatusCodeWithHeaders
	if errors.As(err, &p) {
		return fmt.Sprintf("%d %s: %s %+v", p.StatusCode, p.Response.Code, p.Response.Detail.Or(""), p.Response.Errors)
	}
	return err.Error()
}

// problem asserts err is a problem+json answer with status and code (and, when given, that
// it names exactly these fields) and returns it.
func problem(t *testing.T, err error, status int, code string, fields ...string) oas.Problem {
	t.Helper()
	var p *oas.ProblemStatusCodeWithHeaders
	if !errors.As(err, &p) {
		t.Fatalf("want %d %s, got %v", status, code, err)
	}
	if p.StatusCode != status || p.Response.Status != status || p.Response.Code != code || p.Response.Type != "https://telemetryflow.io/problems/"+code {
		t.Fatalf("want %d %s, got %s", status, code, describe(err))
	}
	if len(fields) > 0 {
		got := map[string]bool{}
		for _, f := range p.Response.Errors {
			got[f.Field] = true
		}
		for _, f := range fields {
			if !got[f] {
				t.Fatalf("problem %s does not name field %s: %+v", code, f, p.Response.Errors)
			}
		}
		if len(got) != len(fields) {
			t.Fatalf("problem %s names fields %+v, want %v", code, p.Response.Errors, fields)
		}
	}
	return p.Response
}

func errOf[T any](_ T, err error) error { return err }

func unique(prefix string) string { return fmt.Sprintf("%s-%s", prefix, uuid.NewString()[:8]) }

// hierarchy creates a region, tenant and organization through the API.
func (a *api) hierarchy(t *testing.T) (*oas.Region, *oas.Tenant, *oas.Organization) {
	t.Helper()
	r := ok(a.root.CreateRegion(bg, &oas.RegionCreate{Name: "Region", Code: unique("r")}))(t)
	tn := ok(a.root.CreateTenant(bg, &oas.TenantCreate{Name: "Tenant", Slug: oas.Slug(unique("t")), RegionID: r.ID}))(t)
	o := ok(a.root.CreateOrganization(bg, &oas.OrganizationCreate{Name: "Org", Slug: oas.Slug(unique("o")), TenantID: tn.ID}))(t)
	return r, tn, o
}

const userPassword = "a long enough password"

// user creates and activates a user in org with roles, logs them in and returns both.
func (a *api) user(t *testing.T, org uuid.UUID, roles ...uuid.UUID) (*oas.User, *oas.Client) {
	t.Helper()
	u := ok(a.root.CreateUser(bg, &oas.UserCreate{Email: unique("user") + "@example.com", Password: userPassword,
		FirstName: "Test", LastName: "User", OrganizationID: org}))(t)
	ok(a.root.ActivateUser(bg, oas.ActivateUserParams{ID: u.ID}))(t)
	for _, r := range roles {
		ok(a.root.AssignUserRole(bg, &oas.RoleRef{RoleID: r}, oas.AssignUserRoleParams{ID: u.ID}))(t)
	}
	c, _ := a.srv.Login(t, u.Email, userPassword)
	return u, c
}

// systemRole finds a seeded role by name.
func (a *api) systemRole(t *testing.T, name string) uuid.UUID {
	t.Helper()
	l := ok(a.root.ListRoles(bg, oas.ListRolesParams{Q: oas.NewOptString(name), SystemRole: oas.NewOptBool(true)}))(t)
	for _, r := range l.Items {
		if r.Name == name {
			return r.ID
		}
	}
	t.Fatalf("no system role %s", name)
	return uuid.Nil
}

// permission finds a permission by name.
func (a *api) permission(t *testing.T, name string) uuid.UUID {
	t.Helper()
	l := ok(a.root.ListPermissions(bg, oas.ListPermissionsParams{Q: oas.NewOptString(name)}))(t)
	for _, p := range l.Items {
		if p.Name == name {
			return p.ID
		}
	}
	t.Fatalf("no permission %s", name)
	return uuid.Nil
}

func (a *api) defaultOrg(t *testing.T) uuid.UUID { return a.srv.OrganizationID(t, seed.DefaultSlug) }

// adminID is the bootstrap super administrator's id.
func (a *api) adminID(t *testing.T) uuid.UUID {
	t.Helper()
	l := ok(a.root.ListUsers(bg, oas.ListUsersParams{Email: oas.NewOptString(apitest.AdminEmail)}))(t)
	if len(l.Items) != 1 {
		t.Fatalf("admin lookup: %+v", l)
	}
	return l.Items[0].ID
}
