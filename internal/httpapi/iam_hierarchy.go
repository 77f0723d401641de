package httpapi

import (
	"context"

	"github.com/telemetryflow/core/internal/app/command"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/app/query"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/oas"
)

// The four levels of the hierarchy (Region → Tenant → Organization → Workspace), each with the
// same five operations; their conversions are in iam_convert_hierarchy.go.

// CreateRegion implements createRegion.
func (a *IAMAPI) CreateRegion(ctx context.Context, req *oas.RegionCreate) (*oas.Region, error) {
	return call(ctx, a.commands.CreateRegion, command.CreateRegion{Name: req.Name, Code: req.Code,
		Description: optString(req.Description), Active: optBool(req.Active)}, regionOut)
}

// GetRegion implements getRegion.
func (a *IAMAPI) GetRegion(ctx context.Context, p oas.GetRegionParams) (*oas.Region, error) {
	return call(ctx, a.queries.GetRegion, query.GetRegion{ID: p.ID}, regionOut)
}

// ListRegions implements listRegions.
func (a *IAMAPI) ListRegions(ctx context.Context, p oas.ListRegionsParams) (*oas.RegionList, error) {
	return page[oas.RegionList](ctx, a.queries.ListRegions, query.ListRegions{
		Filter: port.RegionFilter{Q: p.Q.Or(""), Active: optBool(p.Active)},
		Page:   pageOf(p.Limit, p.Offset, p.Cursor, sortByName(p.Sort)),
	}, regionOut)
}

// UpdateRegion implements updateRegion.
func (a *IAMAPI) UpdateRegion(ctx context.Context, req *oas.RegionUpdate, p oas.UpdateRegionParams) (*oas.Region, error) {
	return call(ctx, a.commands.UpdateRegion, command.UpdateRegion{ID: p.ID, RegionFields: iam.RegionFields{
		Name: optString(req.Name), Code: optString(req.Code), Description: optString(req.Description), Active: optBool(req.Active)}}, regionOut)
}

// DeleteRegion implements deleteRegion.
func (a *IAMAPI) DeleteRegion(ctx context.Context, p oas.DeleteRegionParams) error {
	return exec(ctx, a.commands.DeleteRegion, command.DeleteRegion{ID: p.ID})
}

// CreateTenant implements createTenant.
func (a *IAMAPI) CreateTenant(ctx context.Context, req *oas.TenantCreate) (*oas.Tenant, error) {
	slug := string(req.Slug)
	return call(ctx, a.commands.CreateTenant, command.CreateTenant{RegionID: req.RegionID, TenantFields: iam.TenantFields{
		Name: &req.Name, Slug: &slug, Description: optString(req.Description), Active: optBool(req.Active)}}, tenantOut)
}

// GetTenant implements getTenant.
func (a *IAMAPI) GetTenant(ctx context.Context, p oas.GetTenantParams) (*oas.Tenant, error) {
	return call(ctx, a.queries.GetTenant, query.GetTenant{ID: p.ID}, tenantOut)
}

// ListTenants implements listTenants.
func (a *IAMAPI) ListTenants(ctx context.Context, p oas.ListTenantsParams) (*oas.TenantList, error) {
	return page[oas.TenantList](ctx, a.queries.ListTenants, query.ListTenants{
		Filter: port.TenantFilter{Q: p.Q.Or(""), Active: optBool(p.Active), RegionID: optUUIDPtr(p.RegionID)},
		Page:   pageOf(p.Limit, p.Offset, p.Cursor, sortByName(p.Sort)),
	}, tenantOut)
}

// UpdateTenant implements updateTenant.
func (a *IAMAPI) UpdateTenant(ctx context.Context, req *oas.TenantUpdate, p oas.UpdateTenantParams) (*oas.Tenant, error) {
	return call(ctx, a.commands.UpdateTenant, command.UpdateTenant{ID: p.ID, TenantFields: iam.TenantFields{
		Name: optString(req.Name), Slug: optSlug(req.Slug), Description: optString(req.Description), Active: optBool(req.Active)}}, tenantOut)
}

// DeleteTenant implements deleteTenant.
func (a *IAMAPI) DeleteTenant(ctx context.Context, p oas.DeleteTenantParams) error {
	return exec(ctx, a.commands.DeleteTenant, command.DeleteTenant{ID: p.ID})
}

// CreateOrganization implements createOrganization.
func (a *IAMAPI) CreateOrganization(ctx context.Context, req *oas.OrganizationCreate) (*oas.Organization, error) {
	slug := string(req.Slug)
	return call(ctx, a.commands.CreateOrganization, command.CreateOrganization{TenantID: req.TenantID,
		OrganizationFields: iam.OrganizationFields{Name: &req.Name, Slug: &slug, Description: optString(req.Description),
			Domain: optString(req.Domain), Active: optBool(req.Active), RequireMFA: optBool(req.RequireMfa)}}, organizationOut)
}

// GetOrganization implements getOrganization.
func (a *IAMAPI) GetOrganization(ctx context.Context, p oas.GetOrganizationParams) (*oas.Organization, error) {
	return call(ctx, a.queries.GetOrganization, query.GetOrganization{ID: p.ID}, organizationOut)
}

// ListOrganizations implements listOrganizations.
func (a *IAMAPI) ListOrganizations(ctx context.Context, p oas.ListOrganizationsParams) (*oas.OrganizationList, error) {
	return page[oas.OrganizationList](ctx, a.queries.ListOrganizations, query.ListOrganizations{
		Filter: port.OrganizationFilter{Q: p.Q.Or(""), Active: optBool(p.Active), TenantID: optUUIDPtr(p.TenantID)},
		Page:   pageOf(p.Limit, p.Offset, p.Cursor, sortByName(p.Sort)),
	}, organizationOut)
}

// UpdateOrganization implements updateOrganization.
func (a *IAMAPI) UpdateOrganization(ctx context.Context, req *oas.OrganizationUpdate, p oas.UpdateOrganizationParams) (*oas.Organization, error) {
	return call(ctx, a.commands.UpdateOrganization, command.UpdateOrganization{ID: p.ID, OrganizationFields: organizationFields(req)}, organizationOut)
}

// DeleteOrganization implements deleteOrganization.
func (a *IAMAPI) DeleteOrganization(ctx context.Context, p oas.DeleteOrganizationParams) error {
	return exec(ctx, a.commands.DeleteOrganization, command.DeleteOrganization{ID: p.ID})
}

// CreateWorkspace implements createWorkspace.
func (a *IAMAPI) CreateWorkspace(ctx context.Context, req *oas.WorkspaceCreate) (*oas.Workspace, error) {
	slug := string(req.Slug)
	return call(ctx, a.commands.CreateWorkspace, command.CreateWorkspace{OrganizationID: req.OrganizationID,
		WorkspaceFields: iam.WorkspaceFields{Name: &req.Name, Slug: &slug, Description: optString(req.Description), Active: optBool(req.Active)}}, workspaceOut)
}

// GetWorkspace implements getWorkspace.
func (a *IAMAPI) GetWorkspace(ctx context.Context, p oas.GetWorkspaceParams) (*oas.Workspace, error) {
	return call(ctx, a.queries.GetWorkspace, query.GetWorkspace{ID: p.ID}, workspaceOut)
}

// ListWorkspaces implements listWorkspaces.
func (a *IAMAPI) ListWorkspaces(ctx context.Context, p oas.ListWorkspacesParams) (*oas.WorkspaceList, error) {
	return page[oas.WorkspaceList](ctx, a.queries.ListWorkspaces, query.ListWorkspaces{
		Filter: port.WorkspaceFilter{Q: p.Q.Or(""), Active: optBool(p.Active), OrganizationID: optUUIDPtr(p.OrganizationID)},
		Page:   pageOf(p.Limit, p.Offset, p.Cursor, sortByName(p.Sort)),
	}, workspaceOut)
}

// UpdateWorkspace implements updateWorkspace.
func (a *IAMAPI) UpdateWorkspace(ctx context.Context, req *oas.WorkspaceUpdate, p oas.UpdateWorkspaceParams) (*oas.Workspace, error) {
	return call(ctx, a.commands.UpdateWorkspace, command.UpdateWorkspace{ID: p.ID, WorkspaceFields: iam.WorkspaceFields{
		Name: optString(req.Name), Slug: optSlug(req.Slug), Description: optString(req.Description), Active: optBool(req.Active)}}, workspaceOut)
}

// DeleteWorkspace implements deleteWorkspace.
func (a *IAMAPI) DeleteWorkspace(ctx context.Context, p oas.DeleteWorkspaceParams) error {
	return exec(ctx, a.commands.DeleteWorkspace, command.DeleteWorkspace{ID: p.ID})
}
