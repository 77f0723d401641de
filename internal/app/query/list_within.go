package query

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// The lists of what belongs to one entity: a user's roles and direct permissions, a role's
// permissions and holders, a group's members and roles. Each first loads the entity in the
// caller's scope, so what belongs to an invisible one answers not found, and names it as the
// read's audit target; within is their one skeleton.

// ListUserRoles pages through the roles granted to a user directly.
type ListUserRoles struct {
	UserID uuid.UUID `json:"user_id" audit:"id"`
	Page   port.PageRequest
}

// ListUserRolesHandler handles ListUserRoles.
type ListUserRolesHandler struct{ Deps }

func (h ListUserRolesHandler) Handle(ctx context.Context, q ListUserRoles) (port.Page[iam.RoleGrant], error) {
	return within(ctx, h.Deps, h.Read.Users().Get, q.UserID, func(port.Scope) (port.Page[iam.RoleGrant], error) {
		return h.Read.Users().Roles(ctx, q.UserID, q.Page)
	})
}

// ListUserPermissions pages through the permissions granted to a user directly.
type ListUserPermissions struct {
	UserID uuid.UUID `json:"user_id" audit:"id"`
	Page   port.PageRequest
}

// ListUserPermissionsHandler handles ListUserPermissions.
type ListUserPermissionsHandler struct{ Deps }

func (h ListUserPermissionsHandler) Handle(ctx context.Context, q ListUserPermissions) (port.Page[iam.PermissionGrant], error) {
	return within(ctx, h.Deps, h.Read.Users().Get, q.UserID, func(port.Scope) (port.Page[iam.PermissionGrant], error) {
		return h.Read.Users().Permissions(ctx, q.UserID, q.Page)
	})
}

// ListRolePermissions pages through the permissions in a role the caller can see.
type ListRolePermissions struct {
	RoleID uuid.UUID `json:"role_id" audit:"id"`
	Page   port.PageRequest
}

// ListRolePermissionsHandler handles ListRolePermissions.
type ListRolePermissionsHandler struct{ Deps }

func (h ListRolePermissionsHandler) Handle(ctx context.Context, q ListRolePermissions) (port.Page[iam.PermissionGrant], error) {
	return within(ctx, h.Deps, h.Read.Roles().Get, q.RoleID, func(port.Scope) (port.Page[iam.PermissionGrant], error) {
		return h.Read.Roles().Permissions(ctx, q.RoleID, q.Page)
	})
}

// ListRoleUsers pages through the users in the caller's scope holding a role directly.
type ListRoleUsers struct {
	RoleID uuid.UUID `json:"role_id" audit:"id"`
	Page   port.PageRequest
}

// ListRoleUsersHandler handles ListRoleUsers.
type ListRoleUsersHandler struct{ Deps }

func (h ListRoleUsersHandler) Handle(ctx context.Context, q ListRoleUsers) (port.Page[iam.User], error) {
	return within(ctx, h.Deps, h.Read.Roles().Get, q.RoleID, func(s port.Scope) (port.Page[iam.User], error) {
		return h.Read.Roles().Users(ctx, s, q.RoleID, q.Page)
	})
}

// ListGroupMembers pages through the members of a group in the caller's scope.
type ListGroupMembers struct {
	GroupID uuid.UUID `json:"group_id" audit:"id"`
	Page    port.PageRequest
}

// ListGroupMembersHandler handles ListGroupMembers.
type ListGroupMembersHandler struct{ Deps }

func (h ListGroupMembersHandler) Handle(ctx context.Context, q ListGroupMembers) (port.Page[iam.User], error) {
	return within(ctx, h.Deps, h.Read.Groups().Get, q.GroupID, func(port.Scope) (port.Page[iam.User], error) {
		return h.Read.Groups().Members(ctx, q.GroupID, q.Page)
	})
}

// ListGroupRoles pages through the roles granted to a group in the caller's scope.
type ListGroupRoles struct {
	GroupID uuid.UUID `json:"group_id" audit:"id"`
	Page    port.PageRequest
}

// ListGroupRolesHandler handles ListGroupRoles.
type ListGroupRolesHandler struct{ Deps }

func (h ListGroupRolesHandler) Handle(ctx context.Context, q ListGroupRoles) (port.Page[iam.RoleGrant], error) {
	return within(ctx, h.Deps, h.Read.Groups().Get, q.GroupID, func(port.Scope) (port.Page[iam.RoleGrant], error) {
		return h.Read.Groups().Roles(ctx, q.GroupID, q.Page)
	})
}

// within resolves the caller, loads the entity with the id in their scope (naming it as the
// read's audit target) and then reads what belongs to it.
func within[P owned, R any](ctx context.Context, d Deps, get getter[P], id uuid.UUID, read func(s port.Scope) (R, error)) (R, error) {
	return scoped(ctx, d, func(s port.Scope) (R, error) {
		if _, err := found(ctx, get, s, id); err != nil {
			var zero R
			return zero, err
		}
		return read(s)
	})
}
