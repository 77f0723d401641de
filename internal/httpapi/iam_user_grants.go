package httpapi

import (
	"context"

	"github.com/telemetryflow/core/internal/app/command"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/app/query"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/oas"
)

// ListUserRoles implements listUserRoles.
func (a *IAMAPI) ListUserRoles(ctx context.Context, p oas.ListUserRolesParams) (*oas.RoleGrantList, error) {
	page, err := a.app.Queries.ListUserRoles.Handle(ctx, query.ListUserRoles{UserID: p.ID, Page: pageOf(p.Limit, p.Offset, p.Cursor, "")})
	return roleGrantList(page, err)
}

// AssignUserRole implements assignUserRole.
func (a *IAMAPI) AssignUserRole(ctx context.Context, req *oas.RoleRef, p oas.AssignUserRoleParams) (*oas.RoleGrant, error) {
	g, err := a.app.Commands.AssignUserRole.Handle(ctx, command.AssignUserRole{UserID: p.ID, RoleID: req.RoleID})
	return respond(g, err, roleGrantOut)
}

// RevokeUserRole implements revokeUserRole.
func (a *IAMAPI) RevokeUserRole(ctx context.Context, p oas.RevokeUserRoleParams) error {
	_, err := a.app.Commands.RevokeUserRole.Handle(ctx, command.RevokeUserRole{UserID: p.ID, RoleID: p.RoleId})
	return err
}

// RevokeAllUserRoles implements revokeAllUserRoles.
func (a *IAMAPI) RevokeAllUserRoles(ctx context.Context, p oas.RevokeAllUserRolesParams) error {
	_, err := a.app.Commands.RevokeAllUserRoles.Handle(ctx, command.RevokeAllUserRoles{UserID: p.ID})
	return err
}

// ListUserPermissions implements listUserPermissions.
func (a *IAMAPI) ListUserPermissions(ctx context.Context, p oas.ListUserPermissionsParams) (*oas.PermissionGrantList, error) {
	page, err := a.app.Queries.ListUserPermissions.Handle(ctx, query.ListUserPermissions{UserID: p.ID, Page: pageOf(p.Limit, p.Offset, p.Cursor, "")})
	return permissionGrantList(page, err)
}

// GrantUserPermission implements grantUserPermission.
func (a *IAMAPI) GrantUserPermission(ctx context.Context, req *oas.PermissionRef, p oas.GrantUserPermissionParams) (*oas.PermissionGrant, error) {
	g, err := a.app.Commands.GrantUserPermission.Handle(ctx, command.GrantUserPermission{UserID: p.ID, PermissionID: req.PermissionID})
	return respond(g, err, permissionGrantOut)
}

// RevokeUserPermission implements revokeUserPermission.
func (a *IAMAPI) RevokeUserPermission(ctx context.Context, p oas.RevokeUserPermissionParams) error {
	_, err := a.app.Commands.RevokeUserPermission.Handle(ctx, command.RevokeUserPermission{UserID: p.ID, PermissionID: p.PermissionId})
	return err
}

// GetUserEffectivePermissions implements getUserEffectivePermissions.
func (a *IAMAPI) GetUserEffectivePermissions(ctx context.Context, p oas.GetUserEffectivePermissionsParams) (*oas.EffectivePermissionList, error) {
	eff, err := a.app.Queries.UserEffectivePermissions.Handle(ctx, query.GetUserEffectivePermissions{UserID: p.ID})
	if err != nil {
		return nil, err
	}
	return &oas.EffectivePermissionList{Items: listOf(eff, effectiveOut), Total: len(eff)}, nil
}

func roleGrantList(page port.Page[iam.RoleGrant], err error) (*oas.RoleGrantList, error) {
	if err != nil {
		return nil, err
	}
	return &oas.RoleGrantList{Items: listOf(page.Items, roleGrantOut), NextCursor: nextCursor(page.NextCursor), Total: page.Total}, nil
}

func permissionGrantList(page port.Page[iam.PermissionGrant], err error) (*oas.PermissionGrantList, error) {
	if err != nil {
		return nil, err
	}
	return &oas.PermissionGrantList{Items: listOf(page.Items, permissionGrantOut), NextCursor: nextCursor(page.NextCursor), Total: page.Total}, nil
}
