package httpapi

import (
	"context"

	"github.com/telemetryflow/core/internal/app/command"
	"github.com/telemetryflow/core/internal/app/query"
	"github.com/telemetryflow/core/oas"
)

// ListUserRoles implements listUserRoles.
func (a *IAMAPI) ListUserRoles(ctx context.Context, p oas.ListUserRolesParams) (*oas.RoleGrantList, error) {
	return page[oas.RoleGrantList](ctx, a.queries.ListUserRoles, query.ListUserRoles{UserID: p.ID, Page: pageOf(p.Limit, p.Offset, p.Cursor, "")}, roleGrantOut)
}

// AssignUserRole implements assignUserRole.
func (a *IAMAPI) AssignUserRole(ctx context.Context, req *oas.RoleRef, p oas.AssignUserRoleParams) (*oas.RoleGrant, error) {
	return call(ctx, a.commands.AssignUserRole, command.AssignUserRole{UserID: p.ID, RoleID: req.RoleID}, roleGrantOut)
}

// RevokeUserRole implements revokeUserRole.
func (a *IAMAPI) RevokeUserRole(ctx context.Context, p oas.RevokeUserRoleParams) error {
	return exec(ctx, a.commands.RevokeUserRole, command.RevokeUserRole{UserID: p.ID, RoleID: p.RoleId})
}

// RevokeAllUserRoles implements revokeAllUserRoles.
func (a *IAMAPI) RevokeAllUserRoles(ctx context.Context, p oas.RevokeAllUserRolesParams) error {
	return exec(ctx, a.commands.RevokeAllUserRoles, command.RevokeAllUserRoles{UserID: p.ID})
}

// ListUserPermissions implements listUserPermissions.
func (a *IAMAPI) ListUserPermissions(ctx context.Context, p oas.ListUserPermissionsParams) (*oas.PermissionGrantList, error) {
	return page[oas.PermissionGrantList](ctx, a.queries.ListUserPermissions, query.ListUserPermissions{UserID: p.ID, Page: pageOf(p.Limit, p.Offset, p.Cursor, "")}, permissionGrantOut)
}

// GrantUserPermission implements grantUserPermission.
func (a *IAMAPI) GrantUserPermission(ctx context.Context, req *oas.PermissionRef, p oas.GrantUserPermissionParams) (*oas.PermissionGrant, error) {
	return call(ctx, a.commands.GrantUserPermission, command.GrantUserPermission{UserID: p.ID, PermissionID: req.PermissionID}, permissionGrantOut)
}

// RevokeUserPermission implements revokeUserPermission.
func (a *IAMAPI) RevokeUserPermission(ctx context.Context, p oas.RevokeUserPermissionParams) error {
	return exec(ctx, a.commands.RevokeUserPermission, command.RevokeUserPermission{UserID: p.ID, PermissionID: p.PermissionId})
}

// GetUserEffectivePermissions implements getUserEffectivePermissions.
func (a *IAMAPI) GetUserEffectivePermissions(ctx context.Context, p oas.GetUserEffectivePermissionsParams) (*oas.EffectivePermissionList, error) {
	eff, err := a.queries.UserEffectivePermissions.Handle(ctx, query.GetUserEffectivePermissions{UserID: p.ID})
	if err != nil {
		return nil, err
	}
	return &oas.EffectivePermissionList{Items: listOf(eff, effectiveOut), Total: len(eff)}, nil
}
