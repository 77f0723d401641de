package httpapi

import (
	"context"

	"github.com/telemetryflow/core/internal/app/command"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/app/query"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/oas"
)

// CreateUser implements createUser.
func (a *IAMAPI) CreateUser(ctx context.Context, req *oas.UserCreate) (*oas.User, error) {
	return call(ctx, a.commands.CreateUser, command.CreateUser{OrganizationID: req.OrganizationID,
		UserFields: iam.UserFields{Email: &req.Email, FirstName: &req.FirstName, LastName: &req.LastName},
		Password:   req.Password}, userOut)
}

// GetUser implements getUser.
func (a *IAMAPI) GetUser(ctx context.Context, p oas.GetUserParams) (*oas.User, error) {
	return call(ctx, a.queries.GetUser, query.GetUser{ID: p.ID}, userOut)
}

// ListUsers implements listUsers.
func (a *IAMAPI) ListUsers(ctx context.Context, p oas.ListUsersParams) (*oas.UserList, error) {
	f := port.UserFilter{Q: p.Q.Or(""), OrganizationID: optUUIDPtr(p.OrganizationID), Email: p.Email.Or("")}
	if s, ok := p.Status.Get(); ok {
		st := iam.UserStatus(s)
		f.Status = &st
	}
	sort := ""
	if s, ok := p.Sort.Get(); ok {
		sort = string(s)
	}
	return page[oas.UserList](ctx, a.queries.ListUsers, query.ListUsers{Filter: f, Page: pageOf(p.Limit, p.Offset, p.Cursor, sort)}, userOut)
}

// UpdateUser implements updateUser.
func (a *IAMAPI) UpdateUser(ctx context.Context, req *oas.UserUpdate, p oas.UpdateUserParams) (*oas.User, error) {
	return call(ctx, a.commands.UpdateUser, command.UpdateUser{ID: p.ID, UserFields: iam.UserFields{
		Email: optString(req.Email), FirstName: optString(req.FirstName), LastName: optString(req.LastName)}}, userOut)
}

// DeleteUser implements deleteUser.
func (a *IAMAPI) DeleteUser(ctx context.Context, p oas.DeleteUserParams) error {
	return exec(ctx, a.commands.DeleteUser, command.DeleteUser{ID: p.ID})
}

// ActivateUser implements activateUser.
func (a *IAMAPI) ActivateUser(ctx context.Context, p oas.ActivateUserParams) (*oas.User, error) {
	return call(ctx, a.commands.ActivateUser, command.ActivateUser{ID: p.ID}, userOut)
}

// DeactivateUser implements deactivateUser.
func (a *IAMAPI) DeactivateUser(ctx context.Context, p oas.DeactivateUserParams) (*oas.User, error) {
	return call(ctx, a.commands.DeactivateUser, command.DeactivateUser{ID: p.ID}, userOut)
}

// ResetUserPassword implements resetUserPassword.
func (a *IAMAPI) ResetUserPassword(ctx context.Context, req *oas.ResetPasswordRequest, p oas.ResetUserPasswordParams) error {
	return exec(ctx, a.commands.ResetUserPassword, command.ResetUserPassword{ID: p.ID, NewPassword: req.NewPassword})
}

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
