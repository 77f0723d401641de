package httpapi

import (
	"context"

	"github.com/telemetryflow/core/internal/app/command"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/app/query"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/oas"
)

// CreateRole implements createRole.
func (a *IAMAPI) CreateRole(ctx context.Context, req *oas.RoleCreate) (*oas.Role, error) {
	return call(ctx, a.commands.CreateRole, command.CreateRole{
		RoleFields: iam.RoleFields{Name: &req.Name, Description: optString(req.Description), Tier: &req.Tier},
		TenantID:   optUUIDPtr(req.TenantID), OrganizationID: optUUIDPtr(req.OrganizationID)}, roleOut)
}

// GetRole implements getRole.
func (a *IAMAPI) GetRole(ctx context.Context, p oas.GetRoleParams) (*oas.Role, error) {
	return call(ctx, a.queries.GetRole, query.GetRole{ID: p.ID}, roleOut)
}

// ListRoles implements listRoles.
func (a *IAMAPI) ListRoles(ctx context.Context, p oas.ListRolesParams) (*oas.RoleList, error) {
	return page[oas.RoleList](ctx, a.queries.ListRoles, query.ListRoles{
		Filter: port.RoleFilter{Q: p.Q.Or(""), Tier: optInt(p.Tier), System: optBool(p.SystemRole), OrganizationID: optUUIDPtr(p.OrganizationID)},
		Page:   pageOf(p.Limit, p.Offset, p.Cursor, sortByName(p.Sort)),
	}, roleOut)
}

// UpdateRole implements updateRole.
func (a *IAMAPI) UpdateRole(ctx context.Context, req *oas.RoleUpdate, p oas.UpdateRoleParams) (*oas.Role, error) {
	return call(ctx, a.commands.UpdateRole, command.UpdateRole{ID: p.ID, RoleFields: iam.RoleFields{
		Name: optString(req.Name), Description: optString(req.Description), Tier: optInt(req.Tier)}}, roleOut)
}

// DeleteRole implements deleteRole.
func (a *IAMAPI) DeleteRole(ctx context.Context, p oas.DeleteRoleParams) error {
	return exec(ctx, a.commands.DeleteRole, command.DeleteRole{ID: p.ID})
}

// ListRolePermissions implements listRolePermissions.
func (a *IAMAPI) ListRolePermissions(ctx context.Context, p oas.ListRolePermissionsParams) (*oas.PermissionGrantList, error) {
	return page[oas.PermissionGrantList](ctx, a.queries.ListRolePermissions, query.ListRolePermissions{RoleID: p.ID, Page: pageOf(p.Limit, p.Offset, p.Cursor, "")}, permissionGrantOut)
}

// AddRolePermission implements addRolePermission.
func (a *IAMAPI) AddRolePermission(ctx context.Context, req *oas.PermissionRef, p oas.AddRolePermissionParams) (*oas.PermissionGrant, error) {
	return call(ctx, a.commands.AddRolePermission, command.AddRolePermission{RoleID: p.ID, PermissionID: req.PermissionID}, permissionGrantOut)
}

// RemoveRolePermission implements removeRolePermission.
func (a *IAMAPI) RemoveRolePermission(ctx context.Context, p oas.RemoveRolePermissionParams) error {
	return exec(ctx, a.commands.RemoveRolePermission, command.RemoveRolePermission{RoleID: p.ID, PermissionID: p.PermissionId})
}

// ListRoleUsers implements listRoleUsers.
func (a *IAMAPI) ListRoleUsers(ctx context.Context, p oas.ListRoleUsersParams) (*oas.UserList, error) {
	return page[oas.UserList](ctx, a.queries.ListRoleUsers, query.ListRoleUsers{RoleID: p.ID, Page: pageOf(p.Limit, p.Offset, p.Cursor, "")}, userOut)
}
