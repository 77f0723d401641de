package authz_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent/permission"
	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/platform/contract"
	"github.com/telemetryflow/core/internal/store/seed"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/oas"
)

// foreign are the ids of another organization's things (B, in the administrator's own tenant)
// and of another tenant and region (C).
type foreign struct {
	region, tenant, orgB, orgC, workspace, user, group, role uuid.UUID
	apiKey                                                   uuid.UUID // one of user's
	serviceAccount                                           uuid.UUID
}

// The administrator of organization A calls every operation with ids from elsewhere: every
// answer is 403 (no permission) or 404/422 (not found, existence never revealed), and no list
// shows anything of theirs.
func TestTenantIsolationMatrix(t *testing.T) {
	t.Parallel()
	ops := operations(t)
	apitest.Each(t, func(t *testing.T, srv *apitest.Server) {
		ctx := context.Background()
		root := srv.LoginAdmin(t)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		defaultOrg := srv.OrganizationID(t, seed.DefaultSlug)
		defaultTenant, err := root.GetOrganization(ctx, oas.GetOrganizationParams{ID: defaultOrg})
		must(err)
		// Organization B shares A's tenant; C lives in another tenant and region.
		orgB, err := root.CreateOrganization(ctx, &oas.OrganizationCreate{Name: "B", Slug: "org-b", TenantID: defaultTenant.TenantID})
		must(err)
		regionC, err := root.CreateRegion(ctx, &oas.RegionCreate{Name: "C", Code: "region-c"})
		must(err)
		tenantC, err := root.CreateTenant(ctx, &oas.TenantCreate{Name: "C", Slug: "tenant-c", RegionID: regionC.ID})
		must(err)
		orgC, err := root.CreateOrganization(ctx, &oas.OrganizationCreate{Name: "C", Slug: "org-c", TenantID: tenantC.ID})
		must(err)
		wsB, err := root.CreateWorkspace(ctx, &oas.WorkspaceCreate{Name: "WB", Slug: "ws-b", OrganizationID: orgB.ID})
		must(err)
		userB, err := root.CreateUser(ctx, &oas.UserCreate{Email: "b@example.com", Password: pw, FirstName: "B", LastName: "B", OrganizationID: orgB.ID})
		must(err)
		_, err = root.ActivateUser(ctx, oas.ActivateUserParams{ID: userB.ID})
		must(err)
		userBClient, _ := srv.Login(t, "b@example.com", pw)
		keyB, err := userBClient.CreateApiKey(ctx, &oas.APIKeyCreate{Name: "b"})
		must(err)
		groupB, err := root.CreateGroup(ctx, &oas.GroupCreate{Name: "gb", OrganizationID: orgB.ID})
		must(err)
		must(root.AddGroupMember(ctx, &oas.UserRef{UserID: userB.ID}, oas.AddGroupMemberParams{ID: groupB.ID}))
		roleB, err := root.CreateRole(ctx, &oas.RoleCreate{Name: "role-b", Tier: 4, OrganizationID: oas.NewOptUUID(orgB.ID)})
		must(err)
		saB, err := root.CreateServiceAccount(ctx, &oas.ServiceAccountCreate{Name: "sa-b", OrganizationID: orgB.ID})
		must(err)
		f := foreign{region: regionC.ID, tenant: tenantC.ID, orgB: orgB.ID, orgC: orgC.ID, workspace: wsB.ID, user: userB.ID, group: groupB.ID, role: roleB.ID,
			serviceAccount: saB.ID, apiKey: keyB.ID}

		srv.CreateUser(t, apitest.UserSpec{Email: "admin-a@example.com", Password: pw, Roles: []string{rbac.RoleAdministrator}})
		_, tok := srv.Login(t, "admin-a@example.com", pw)
		anyPermission := srv.DB(t).Ent.Permission.Query().Where(permission.NameEQ("metrics:read")).OnlyX(ctx).ID

		checked := 0
		for _, op := range ops {
			if op.Permission == "" || strings.HasPrefix(op.Path, "/api/v2/permissions") || strings.HasPrefix(op.Path, "/api/v2/audit") {
				continue // the permission catalog is global; audit scoping is covered by the audit tests
			}
			path, ok := f.fill(op.Path, anyPermission)
			if !ok {
				continue // a list without ids: checked below
			}
			status, code, _ := send(t, srv.URL, tok.AccessToken, op, path, f.body(op.ID, anyPermission))
			if status != http.StatusForbidden && status != http.StatusNotFound && status != http.StatusUnprocessableEntity {
				t.Errorf("%s %s: %d %s, want 403/404/422", op.ID, path, status, code)
			}
			checked++
		}
		// Creating things inside B or C by reference is refused too.
		for _, id := range []string{"createWorkspace", "createUser", "createGroup", "createOrganization", "createTenant", "createRole", "createServiceAccount"} {
			op := find(t, ops, id)
			status, code, _ := send(t, srv.URL, tok.AccessToken, op, op.Path, f.body(id, anyPermission))
			if status != http.StatusForbidden && status != http.StatusNotFound && status != http.StatusUnprocessableEntity {
				t.Errorf("%s referencing another organization: %d %s", id, status, code)
			}
			checked++
		}
		// No list shows anything of B or C, also when filtering for them.
		secrets := []string{f.region.String(), f.tenant.String(), f.orgB.String(), f.orgC.String(), f.workspace.String(),
			f.user.String(), f.group.String(), f.role.String(), "b@example.com", "org-b", "tenant-c", "region-c", "role-b",
			f.serviceAccount.String(), "sa-b"}
		for _, op := range ops {
			if op.Method != "get" || strings.Contains(op.Path, "{") || op.Permission == "" || strings.HasPrefix(op.Path, "/api/v2/audit") {
				continue
			}
			for _, query := range []string{"", "?organization_id=" + f.orgB.String(), "?tenant_id=" + f.tenant.String(), "?region_id=" + f.region.String()} {
				status, _, body := send(t, srv.URL, tok.AccessToken, op, op.Path+query, nil)
				if status != http.StatusOK {
					t.Errorf("%s%s: %d", op.ID, query, status)
					continue
				}
				for _, s := range secrets {
					if strings.Contains(body, s) {
						t.Errorf("%s%s shows %s of another organization", op.ID, query, s)
					}
				}
				checked++
			}
		}
		if checked < 60 {
			t.Fatalf("only %d requests checked", checked)
		}
		t.Logf("%d cross-organization requests checked", checked)
	})
}

// fill substitutes path parameters with foreign ids; ok is false for paths without any.
func (f foreign) fill(path string, perm uuid.UUID) (string, bool) {
	if !strings.Contains(path, "{") {
		return path, false
	}
	first := map[string]uuid.UUID{
		"/api/v2/regions/": f.region, "/api/v2/tenants/": f.tenant, "/api/v2/organizations/": f.orgB,
		"/api/v2/workspaces/": f.workspace, "/api/v2/users/": f.user, "/api/v2/roles/": f.role, "/api/v2/groups/": f.group,
		"/api/v2/service-accounts/": f.serviceAccount,
	}
	for prefix, id := range first {
		if strings.HasPrefix(path, prefix) {
			path = strings.Replace(path, "{id}", id.String(), 1)
		}
	}
	path = strings.NewReplacer("{roleId}", f.role.String(), "{userId}", f.user.String(), "{permissionId}", perm.String(),
		"{secretId}", uuid.NewString(), "{keyId}", f.apiKey.String()).Replace(path)
	return path, !strings.Contains(path, "{")
}

// body references the foreign things wherever a body takes an id.
func (f foreign) body(opID string, perm uuid.UUID) any {
	b := bodies()[opID]
	m, ok := b.(map[string]any)
	if !ok {
		return b
	}
	for k := range m {
		switch k {
		case "organization_id":
			m[k] = f.orgB.String()
		case "tenant_id":
			m[k] = f.tenant.String()
		case "region_id":
			m[k] = f.region.String()
		case "role_id":
			m[k] = f.role.String()
		case "user_id":
			m[k] = f.user.String()
		case "permission_id":
			m[k] = perm.String()
		}
	}
	if opID == "createRole" {
		m["organization_id"] = f.orgB.String()
	}
	return m
}

func find(t *testing.T, ops []contract.Operation, id string) contract.Operation {
	t.Helper()
	for _, op := range ops {
		if op.ID == id {
			return op
		}
	}
	t.Fatalf("no operation %s", id)
	return contract.Operation{}
}
