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
	r, err := a.app.Commands.CreateRole.Handle(ctx, command.CreateRole{
		RoleFields: iam.RoleFields{Name: &req.Name, Description: optString(req.Description), Tier: &req.Tier},
		TenantID:   optUUIDPtr(req.TenantID), OrganizationID: optUUIDPtr(req.OrganizationID)})
	return respond(r, err, roleOut)
}

// GetRole implements getRole.
func (a *IAMAPI) GetRole(ctx context.Context, p oas.GetRoleParams) (*oas.Role, error) {
	r, err := a.app.Queries.GetRole.Handle(ctx, query.GetRole{ID: p.ID})
	return respond(r, err, roleOut)
}

// ListRoles implements listRoles.
func (a *IAMAPI) ListRoles(ctx context.Context, p oas.ListRolesParams) (*oas.RoleList, error) {
	page, err := a.app.Queries.ListRoles.Handle(ctx, query.ListRoles{
		Filter: port.RoleFilter{Q: p.Q.Or(""), Tier: optInt(p.Tier), System: optBool(p.SystemRole), OrganizationID: optUUIDPtr(p.OrganizationID)},
		Page:   pageOf(p.Limit, p.Offset, p.Cursor, sortByName(p.Sort)),
	})
	if err != nil {
		return nil, err
	}
	return &oas.RoleList{Items: listOf(page.Items, roleOut), NextCursor: nextCursor(page.NextCursor), Total: page.Total}, nil
}

// UpdateRole implements updateRole.
func (a *IAMAPI) UpdateRole(ctx context.Context, req *oas.RoleUpdate, p oas.UpdateRoleParams) (*oas.Role, error) {
	r, err := a.app.Commands.UpdateRole.Handle(ctx, command.UpdateRole{ID: p.ID, RoleFields: iam.RoleFields{
		Name: optString(req.Name), Description: optString(req.Description), Tier: optInt(req.Tier)}})
	return respond(r, err, roleOut)
}

// DeleteRole implements deleteRole.
func (a *IAMAPI) DeleteRole(ctx context.Context, p oas.DeleteRoleParams) error {
	_, err := a.app.Commands.DeleteRole.Handle(ctx, command.DeleteRole{ID: p.ID})
	return err
}

// ListRolePermissions implements listRolePermissions.
func (a *IAMAPI) ListRolePermissions(ctx context.Context, p oas.ListRolePermissionsParams) (*oas.PermissionGrantList, error) {
	page, err := a.app.Queries.ListRolePermissions.Handle(ctx, query.ListRolePermissions{RoleID: p.ID, Page: pageOf(p.Limit, p.Offset, p.Cursor, "")})
	return permissionGrantList(page, err)
}

// AddRolePermission implements addRolePermission.
func (a *IAMAPI) AddRolePermission(ctx context.Context, req *oas.PermissionRef, p oas.AddRolePermissionParams) (*oas.PermissionGrant, error) {
	g, err := a.app.Commands.AddRolePermission.Handle(ctx, command.AddRolePermission{RoleID: p.ID, PermissionID: req.PermissionID})
	return respond(g, err, permissionGrantOut)
}

// RemoveRolePermission implements removeRolePermission.
func (a *IAMAPI) RemoveRolePermission(ctx context.Context, p oas.RemoveRolePermissionParams) error {
	_, err := a.app.Commands.RemoveRolePermission.Handle(ctx, command.RemoveRolePermission{RoleID: p.ID, PermissionID: p.PermissionId})
	return err
}

// ListRoleUsers implements listRoleUsers.
func (a *IAMAPI) ListRoleUsers(ctx context.Context, p oas.ListRoleUsersParams) (*oas.UserList, error) {
	page, err := a.app.Queries.ListRoleUsers.Handle(ctx, query.ListRoleUsers{RoleID: p.ID, Page: pageOf(p.Limit, p.Offset, p.Cursor, "")})
	return userList(page, err)
}
