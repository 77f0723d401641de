package query

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// The lists of one kind of entity. Each pages through what the caller's scope shows and the
// filter keeps; listed is their one skeleton. A filter on an organization makes it the
// read's audit target (auditedList).

// ListRegions pages through the regions in the caller's scope.
type ListRegions struct {
	Filter port.RegionFilter
	Page   port.PageRequest
}

// ListRegionsHandler handles ListRegions.
type ListRegionsHandler struct{ Deps }

func (h ListRegionsHandler) Handle(ctx context.Context, q ListRegions) (port.Page[iam.Region], error) {
	return listed(ctx, h.Deps, h.Read.Regions().List, q.Filter, q.Page, nil)
}

// ListTenants pages through the tenants in the caller's scope.
type ListTenants struct {
	Filter port.TenantFilter
	Page   port.PageRequest
}

// ListTenantsHandler handles ListTenants.
type ListTenantsHandler struct{ Deps }

func (h ListTenantsHandler) Handle(ctx context.Context, q ListTenants) (port.Page[iam.Tenant], error) {
	return listed(ctx, h.Deps, h.Read.Tenants().List, q.Filter, q.Page, nil)
}

// ListOrganizations pages through the organizations in the caller's scope.
type ListOrganizations struct {
	Filter port.OrganizationFilter
	Page   port.PageRequest
}

// ListOrganizationsHandler handles ListOrganizations.
type ListOrganizationsHandler struct{ Deps }

func (h ListOrganizationsHandler) Handle(ctx context.Context, q ListOrganizations) (port.Page[iam.Organization], error) {
	return listed(ctx, h.Deps, h.Read.Organizations().List, q.Filter, q.Page, nil)
}

// ListWorkspaces pages through the workspaces in the caller's scope.
type ListWorkspaces struct {
	Filter port.WorkspaceFilter
	Page   port.PageRequest
}

// ListWorkspacesHandler handles ListWorkspaces.
type ListWorkspacesHandler struct{ Deps }

func (h ListWorkspacesHandler) Handle(ctx context.Context, q ListWorkspaces) (port.Page[iam.Workspace], error) {
	return listed(ctx, h.Deps, h.Read.Workspaces().List, q.Filter, q.Page, q.Filter.OrganizationID)
}

// ListUsers pages through the users in the caller's scope.
type ListUsers struct {
	Filter port.UserFilter
	Page   port.PageRequest
}

// ListUsersHandler handles ListUsers.
type ListUsersHandler struct{ Deps }

func (h ListUsersHandler) Handle(ctx context.Context, q ListUsers) (port.Page[iam.User], error) {
	return listed(ctx, h.Deps, h.Read.Users().List, q.Filter, q.Page, q.Filter.OrganizationID)
}

// ListRoles pages through the roles in the caller's scope.
type ListRoles struct {
	Filter port.RoleFilter
	Page   port.PageRequest
}

// ListRolesHandler handles ListRoles.
type ListRolesHandler struct{ Deps }

func (h ListRolesHandler) Handle(ctx context.Context, q ListRoles) (port.Page[iam.Role], error) {
	return listed(ctx, h.Deps, h.Read.Roles().List, q.Filter, q.Page, q.Filter.OrganizationID)
}

// ListGroups pages through the groups in the caller's scope.
type ListGroups struct {
	Filter port.GroupFilter
	Page   port.PageRequest
}

// ListGroupsHandler handles ListGroups.
type ListGroupsHandler struct{ Deps }

func (h ListGroupsHandler) Handle(ctx context.Context, q ListGroups) (port.Page[iam.Group], error) {
	return listed(ctx, h.Deps, h.Read.Groups().List, q.Filter, q.Page, q.Filter.OrganizationID)
}

// ListPermissions pages through the permission catalog (the same for every caller).
type ListPermissions struct {
	Filter port.PermissionFilter
	Page   port.PageRequest
}

// ListPermissionsHandler handles ListPermissions.
type ListPermissionsHandler struct{ Deps }

func (h ListPermissionsHandler) Handle(ctx context.Context, q ListPermissions) (port.Page[iam.Permission], error) {
	catalog := func(ctx context.Context, _ port.Scope, f port.PermissionFilter, p port.PageRequest) (port.Page[iam.Permission], error) {
		return h.Read.Permissions().List(ctx, f, p)
	}
	return listed(ctx, h.Deps, catalog, q.Filter, q.Page, nil)
}

// listed resolves the caller and pages through what list shows them; org is the organization
// the filter names, if any.
func listed[T, F any](ctx context.Context, d Deps, list func(context.Context, port.Scope, F, port.PageRequest) (port.Page[T], error),
	f F, p port.PageRequest, org *uuid.UUID,
) (port.Page[T], error) {
	return scoped(ctx, d, func(s port.Scope) (port.Page[T], error) {
		auditedList(ctx, s, org)
		return list(ctx, s, f, p)
	})
}
