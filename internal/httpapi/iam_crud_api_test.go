package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/oas"
)

// TestIAMHierarchyCRUD: create, get, list, update and delete regions, tenants, organizations
// and workspaces through the generated client, with their conflicts and validation errors.
func TestIAMHierarchyCRUD(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, a *api) {
		c := a.root
		// Regions.
		r := ok(c.CreateRegion(bg, &oas.RegionCreate{Name: "EU West", Code: "eu-west", Description: oas.NewOptString("Dublin")}))(t)
		if r.Code != "eu-west" || !r.Active || r.Description != "Dublin" {
			t.Fatalf("region %+v", r)
		}
		problem(t, errOf(c.CreateRegion(bg, &oas.RegionCreate{Name: "Again", Code: "eu-west"})), http.StatusConflict, "already_exists", "code")
		problem(t, errOf(c.CreateRegion(bg, &oas.RegionCreate{Name: "Bad", Code: "EU_WEST"})), http.StatusBadRequest, "validation_failed", "code")
		// ogen enforces minProperties while decoding, before the domain sees the patch.
		problem(t, errOf(c.UpdateRegion(bg, &oas.RegionUpdate{}, oas.UpdateRegionParams{ID: r.ID})), http.StatusBadRequest, "malformed_request")
		if got := ok(c.GetRegion(bg, oas.GetRegionParams{ID: r.ID}))(t); got.ID != r.ID || got.Name != "EU West" {
			t.Fatalf("get region %+v", got)
		}
		if l := ok(c.ListRegions(bg, oas.ListRegionsParams{Q: oas.NewOptString("WEST")}))(t); l.Total != 1 || l.Items[0].ID != r.ID {
			t.Fatalf("list regions %+v", l)
		}
		if u := ok(c.UpdateRegion(bg, &oas.RegionUpdate{Name: oas.NewOptString("EU W"), Active: oas.NewOptBool(false)}, oas.UpdateRegionParams{ID: r.ID}))(t); u.Name != "EU W" || u.Active {
			t.Fatalf("update region %+v", u)
		}
		if l := ok(c.ListRegions(bg, oas.ListRegionsParams{Active: oas.NewOptBool(false)}))(t); l.Total != 1 {
			t.Fatalf("inactive regions %+v", l)
		}

		// Tenants.
		tn := ok(c.CreateTenant(bg, &oas.TenantCreate{Name: "Acme", Slug: "acme", RegionID: r.ID}))(t)
		problem(t, errOf(c.CreateTenant(bg, &oas.TenantCreate{Name: "Acme", Slug: "acme", RegionID: r.ID})), http.StatusConflict, "already_exists", "slug")
		problem(t, errOf(c.CreateTenant(bg, &oas.TenantCreate{Name: "X", Slug: "x", RegionID: uuid.New()})), http.StatusUnprocessableEntity, "reference_not_found", "region_id")
		if l := ok(c.ListTenants(bg, oas.ListTenantsParams{RegionID: oas.NewOptUUID(r.ID)}))(t); l.Total != 1 || l.Items[0].ID != tn.ID {
			t.Fatalf("list tenants %+v", l)
		}
		if u := ok(c.UpdateTenant(bg, &oas.TenantUpdate{Slug: oas.NewOptSlug("acme-corp")}, oas.UpdateTenantParams{ID: tn.ID}))(t); u.Slug != "acme-corp" {
			t.Fatalf("update tenant %+v", u)
		}
		ok(c.GetTenant(bg, oas.GetTenantParams{ID: tn.ID}))(t)

		// Organizations: slugs are unique per tenant.
		o := ok(c.CreateOrganization(bg, &oas.OrganizationCreate{Name: "Eng", Slug: "eng", TenantID: tn.ID, Domain: oas.NewOptString("eng.acme.example")}))(t)
		problem(t, errOf(c.CreateOrganization(bg, &oas.OrganizationCreate{Name: "Eng", Slug: "eng", TenantID: tn.ID})), http.StatusConflict, "already_exists", "slug")
		ok(c.CreateOrganization(bg, &oas.OrganizationCreate{Name: "Eng", Slug: "eng", TenantID: ok(c.ListTenants(bg, oas.ListTenantsParams{Q: oas.NewOptString("default")}))(t).Items[0].ID}))(t)
		problem(t, errOf(c.CreateOrganization(bg, &oas.OrganizationCreate{Name: "Bad", Slug: "ok", TenantID: tn.ID, Domain: oas.NewOptString("not a domain")})), http.StatusBadRequest, "validation_failed", "domain")
		if got := ok(c.GetOrganization(bg, oas.GetOrganizationParams{ID: o.ID}))(t); got.Domain.Or("") != "eng.acme.example" {
			t.Fatalf("organization %+v", got)
		}
		var clear oas.OrganizationUpdate
		clear.Domain.SetToNull()
		if u := ok(c.UpdateOrganization(bg, &clear, oas.UpdateOrganizationParams{ID: o.ID}))(t); u.Domain.Set {
			t.Fatalf("domain not cleared: %+v", u)
		}
		if l := ok(c.ListOrganizations(bg, oas.ListOrganizationsParams{TenantID: oas.NewOptUUID(tn.ID)}))(t); l.Total != 1 {
			t.Fatalf("list organizations %+v", l)
		}

		// Workspaces: slugs are unique per organization.
		w := ok(c.CreateWorkspace(bg, &oas.WorkspaceCreate{Name: "Prod", Slug: "prod", OrganizationID: o.ID}))(t)
		problem(t, errOf(c.CreateWorkspace(bg, &oas.WorkspaceCreate{Name: "Prod", Slug: "prod", OrganizationID: o.ID})), http.StatusConflict, "already_exists", "slug")
		problem(t, errOf(c.CreateWorkspace(bg, &oas.WorkspaceCreate{Name: "X", Slug: "x", OrganizationID: uuid.New()})), http.StatusUnprocessableEntity, "reference_not_found", "organization_id")
		if u := ok(c.UpdateWorkspace(bg, &oas.WorkspaceUpdate{Description: oas.NewOptString("live")}, oas.UpdateWorkspaceParams{ID: w.ID}))(t); u.Description != "live" {
			t.Fatalf("update workspace %+v", u)
		}
		if l := ok(c.ListWorkspaces(bg, oas.ListWorkspacesParams{OrganizationID: oas.NewOptUUID(o.ID)}))(t); l.Total != 1 || l.Items[0].ID != w.ID {
			t.Fatalf("list workspaces %+v", l)
		}
		ok(c.GetWorkspace(bg, oas.GetWorkspaceParams{ID: w.ID}))(t)

		// Parents with live children cannot be deleted; children first, then parents.
		problem(t, c.DeleteRegion(bg, oas.DeleteRegionParams{ID: r.ID}), http.StatusConflict, "has_children")
		problem(t, c.DeleteTenant(bg, oas.DeleteTenantParams{ID: tn.ID}), http.StatusConflict, "has_children")
		problem(t, c.DeleteOrganization(bg, oas.DeleteOrganizationParams{ID: o.ID}), http.StatusConflict, "has_children")
		ok(0, c.DeleteWorkspace(bg, oas.DeleteWorkspaceParams{ID: w.ID}))(t)
		problem(t, errOf(c.GetWorkspace(bg, oas.GetWorkspaceParams{ID: w.ID})), http.StatusNotFound, "workspace_not_found")
		problem(t, c.DeleteWorkspace(bg, oas.DeleteWorkspaceParams{ID: w.ID}), http.StatusNotFound, "workspace_not_found")
		ok(0, c.DeleteOrganization(bg, oas.DeleteOrganizationParams{ID: o.ID}))(t)
		ok(0, c.DeleteTenant(bg, oas.DeleteTenantParams{ID: tn.ID}))(t)
		ok(0, c.DeleteRegion(bg, oas.DeleteRegionParams{ID: r.ID}))(t)
		problem(t, errOf(c.GetRegion(bg, oas.GetRegionParams{ID: r.ID})), http.StatusNotFound, "region_not_found")
		// Deleted keys are free again.
		ok(c.CreateRegion(bg, &oas.RegionCreate{Name: "EU West", Code: "eu-west"}))(t)
	})
}

// TestIAMCatalogCRUD covers roles, permissions and groups.
func TestIAMCatalogCRUD(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, a *api) {
		c := a.root
		_, tn, o := a.hierarchy(t)

		// Roles: global, tenant and organization scopes; names unique per scope.
		global := ok(c.CreateRole(bg, &oas.RoleCreate{Name: "auditor", Tier: 4, Description: oas.NewOptString("Reads")}))(t)
		if global.TenantID.Set || global.OrganizationID.Set || global.SystemRole {
			t.Fatalf("global role %+v", global)
		}
		orgRole := ok(c.CreateRole(bg, &oas.RoleCreate{Name: "auditor", Tier: 4, OrganizationID: oas.NewOptUUID(o.ID)}))(t)
		if orgRole.OrganizationID.Or(uuid.Nil) != o.ID || orgRole.TenantID.Or(uuid.Nil) != tn.ID {
			t.Fatalf("organization role %+v", orgRole)
		}
		problem(t, errOf(c.CreateRole(bg, &oas.RoleCreate{Name: "auditor", Tier: 3})), http.StatusConflict, "already_exists", "name")
		problem(t, errOf(c.CreateRole(bg, &oas.RoleCreate{Name: "Bad Name", Tier: 3})), http.StatusBadRequest, "validation_failed", "name")
		problem(t, errOf(c.CreateRole(bg, &oas.RoleCreate{Name: "x", Tier: 3, OrganizationID: oas.NewOptUUID(o.ID), TenantID: oas.NewOptUUID(uuid.New())})), http.StatusBadRequest, "validation_failed", "tenant_id")
		if u := ok(c.UpdateRole(bg, &oas.RoleUpdate{Tier: oas.NewOptInt(5), Name: oas.NewOptString("reader")}, oas.UpdateRoleParams{ID: global.ID}))(t); u.Tier != 5 || u.Name != "reader" {
			t.Fatalf("update role %+v", u)
		}
		if l := ok(c.ListRoles(bg, oas.ListRolesParams{OrganizationID: oas.NewOptUUID(o.ID)}))(t); l.Total != 1 || l.Items[0].ID != orgRole.ID {
			t.Fatalf("roles of the organization %+v", l)
		}
		if l := ok(c.ListRoles(bg, oas.ListRolesParams{Tier: oas.NewOptInt(1)}))(t); l.Total != 1 || l.Items[0].Name != "super_administrator" {
			t.Fatalf("tier-1 roles %+v", l)
		}
		ok(c.GetRole(bg, oas.GetRoleParams{ID: orgRole.ID}))(t)
		viewer := a.systemRole(t, "viewer")
		problem(t, errOf(c.UpdateRole(bg, &oas.RoleUpdate{Description: oas.NewOptString("x")}, oas.UpdateRoleParams{ID: viewer})), http.StatusConflict, "system_role_immutable")
		problem(t, c.DeleteRole(bg, oas.DeleteRoleParams{ID: viewer}), http.StatusConflict, "system_role_immutable")
		ok(0, c.DeleteRole(bg, oas.DeleteRoleParams{ID: global.ID}))(t)
		problem(t, errOf(c.GetRole(bg, oas.GetRoleParams{ID: global.ID})), http.StatusNotFound, "role_not_found")

		// Permissions: the name is resource:action; system ones are immutable.
		p := ok(c.CreatePermission(bg, &oas.PermissionCreate{Resource: "report", Action: "publish"}))(t)
		if p.Name != "report:publish" || p.System {
			t.Fatalf("permission %+v", p)
		}
		problem(t, errOf(c.CreatePermission(bg, &oas.PermissionCreate{Resource: "report", Action: "publish"})), http.StatusConflict, "already_exists", "name")
		problem(t, errOf(c.CreatePermission(bg, &oas.PermissionCreate{Resource: "Report", Action: "publish"})), http.StatusBadRequest, "validation_failed", "resource")
		if u := ok(c.UpdatePermission(bg, &oas.PermissionUpdate{Description: "Publish reports"}, oas.UpdatePermissionParams{ID: p.ID}))(t); u.Description != "Publish reports" {
			t.Fatalf("update permission %+v", u)
		}
		if l := ok(c.ListPermissions(bg, oas.ListPermissionsParams{Resource: oas.NewOptString("report"), System: oas.NewOptBool(false)}))(t); l.Total != 1 {
			t.Fatalf("list permissions %+v", l)
		}
		ok(c.GetPermission(bg, oas.GetPermissionParams{ID: p.ID}))(t)
		userRead := a.permission(t, "user:read")
		problem(t, errOf(c.UpdatePermission(bg, &oas.PermissionUpdate{Description: "x"}, oas.UpdatePermissionParams{ID: userRead})), http.StatusConflict, "system_permission_immutable")
		problem(t, c.DeletePermission(bg, oas.DeletePermissionParams{ID: userRead}), http.StatusConflict, "system_permission_immutable")
		ok(0, c.DeletePermission(bg, oas.DeletePermissionParams{ID: p.ID}))(t)
		problem(t, errOf(c.GetPermission(bg, oas.GetPermissionParams{ID: p.ID})), http.StatusNotFound, "permission_not_found")

		// Groups: names unique per organization.
		g := ok(c.CreateGroup(bg, &oas.GroupCreate{Name: "sre", OrganizationID: o.ID}))(t)
		problem(t, errOf(c.CreateGroup(bg, &oas.GroupCreate{Name: "sre", OrganizationID: o.ID})), http.StatusConflict, "already_exists", "name")
		ok(c.CreateGroup(bg, &oas.GroupCreate{Name: "sre", OrganizationID: a.defaultOrg(t)}))(t)
		if u := ok(c.UpdateGroup(bg, &oas.GroupUpdate{Description: oas.NewOptString("on call")}, oas.UpdateGroupParams{ID: g.ID}))(t); u.Description != "on call" {
			t.Fatalf("update group %+v", u)
		}
		if l := ok(c.ListGroups(bg, oas.ListGroupsParams{OrganizationID: oas.NewOptUUID(o.ID)}))(t); l.Total != 1 || l.Items[0].ID != g.ID {
			t.Fatalf("list groups %+v", l)
		}
		ok(c.GetGroup(bg, oas.GetGroupParams{ID: g.ID}))(t)
		ok(0, c.DeleteGroup(bg, oas.DeleteGroupParams{ID: g.ID}))(t)
		problem(t, errOf(c.GetGroup(bg, oas.GetGroupParams{ID: g.ID})), http.StatusNotFound, "group_not_found")
	})
}
