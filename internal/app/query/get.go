package query

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// The reads of one entity by its id. Each answers the entity in the caller's scope (an id
// outside it answers not found, exactly like an absent one) and names it, with the
// organization it belongs to, as the read's audit target: byID is their one skeleton.

// GetRegion reads one region in the caller's scope.
type GetRegion struct {
	ID uuid.UUID `json:"id" audit:"id"`
}

// GetRegionHandler handles GetRegion.
type GetRegionHandler struct{ Deps }

func (h GetRegionHandler) Handle(ctx context.Context, q GetRegion) (*iam.Region, error) {
	return byID(ctx, h.Deps, h.Read.Regions().Get, q.ID)
}

// GetTenant reads one tenant in the caller's scope.
type GetTenant struct {
	ID uuid.UUID `json:"id" audit:"id"`
}

// GetTenantHandler handles GetTenant.
type GetTenantHandler struct{ Deps }

func (h GetTenantHandler) Handle(ctx context.Context, q GetTenant) (*iam.Tenant, error) {
	return byID(ctx, h.Deps, h.Read.Tenants().Get, q.ID)
}

// GetOrganization reads one organization in the caller's scope.
type GetOrganization struct {
	ID uuid.UUID `json:"id" audit:"id"`
}

// GetOrganizationHandler handles GetOrganization.
type GetOrganizationHandler struct{ Deps }

func (h GetOrganizationHandler) Handle(ctx context.Context, q GetOrganization) (*iam.Organization, error) {
	return byID(ctx, h.Deps, h.Read.Organizations().Get, q.ID)
}

// GetWorkspace reads one workspace in the caller's scope.
type GetWorkspace struct {
	ID uuid.UUID `json:"id" audit:"id"`
}

// GetWorkspaceHandler handles GetWorkspace.
type GetWorkspaceHandler struct{ Deps }

func (h GetWorkspaceHandler) Handle(ctx context.Context, q GetWorkspace) (*iam.Workspace, error) {
	return byID(ctx, h.Deps, h.Read.Workspaces().Get, q.ID)
}

// GetUser reads one user in the caller's scope.
type GetUser struct {
	ID uuid.UUID `json:"id" audit:"id"`
}

// GetUserHandler handles GetUser.
type GetUserHandler struct{ Deps }

func (h GetUserHandler) Handle(ctx context.Context, q GetUser) (*iam.User, error) {
	return byID(ctx, h.Deps, h.Read.Users().Get, q.ID)
}

// GetRole reads one role in the caller's scope.
type GetRole struct {
	ID uuid.UUID `json:"id" audit:"id"`
}

// GetRoleHandler handles GetRole.
type GetRoleHandler struct{ Deps }

func (h GetRoleHandler) Handle(ctx context.Context, q GetRole) (*iam.Role, error) {
	return byID(ctx, h.Deps, h.Read.Roles().Get, q.ID)
}

// GetGroup reads one group in the caller's scope.
type GetGroup struct {
	ID uuid.UUID `json:"id" audit:"id"`
}

// GetGroupHandler handles GetGroup.
type GetGroupHandler struct{ Deps }

func (h GetGroupHandler) Handle(ctx context.Context, q GetGroup) (*iam.Group, error) {
	return byID(ctx, h.Deps, h.Read.Groups().Get, q.ID)
}

// GetPermission reads one permission of the catalog (the same for every caller).
type GetPermission struct {
	ID uuid.UUID `json:"id" audit:"id"`
}

// GetPermissionHandler handles GetPermission.
type GetPermissionHandler struct{ Deps }

func (h GetPermissionHandler) Handle(ctx context.Context, q GetPermission) (*iam.Permission, error) {
	return byID(ctx, h.Deps, anyScope(h.Read.Permissions().Get), q.ID)
}

// owned is an IAM entity that belongs to an organization or to none (iam's Owner methods).
type owned interface{ Owner() uuid.UUID }

// getter is a repository's Get: the entity with the id, if the scope shows it.
type getter[P owned] func(ctx context.Context, s port.Scope, id uuid.UUID) (P, error)

// byID resolves the caller and reads the entity with the id in their scope.
func byID[P owned](ctx context.Context, d Deps, get getter[P], id uuid.UUID) (P, error) {
	return scoped(ctx, d, func(s port.Scope) (P, error) { return found(ctx, get, s, id) })
}

// found loads the entity with the id in scope s and names it as the read's audit target.
func found[P owned](ctx context.Context, get getter[P], s port.Scope, id uuid.UUID) (P, error) {
	v, err := get(ctx, s, id)
	if err != nil {
		var zero P
		return zero, err
	}
	audited(ctx, id, v.Owner())
	return v, nil
}

// anyScope is the Get of what every caller sees alike (the permission catalog).
func anyScope[P owned](get func(ctx context.Context, id uuid.UUID) (P, error)) getter[P] {
	return func(ctx context.Context, _ port.Scope, id uuid.UUID) (P, error) { return get(ctx, id) }
}
