package port

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/iam"
)

// Every Get answers errs.NotFound for ids that are absent, soft-deleted or outside the scope;
// every Create and Update answers errs.Conflict (already_exists, naming the field) when a
// unique key is taken by a live row.

// RegionFilter narrows a region list.
type RegionFilter struct {
	Q      string // case-insensitive substring of name or code
	Active *bool
}

// Regions reads regions.
type Regions interface {
	Get(ctx context.Context, s Scope, id uuid.UUID) (*iam.Region, error)
	List(ctx context.Context, s Scope, f RegionFilter, p PageRequest) (Page[iam.Region], error)
}

// RegionRepository changes regions.
type RegionRepository interface {
	Regions
	Create(ctx context.Context, r *iam.Region) error
	Update(ctx context.Context, r *iam.Region) error
	Delete(ctx context.Context, id uuid.UUID, at time.Time) error
	// Children counts the live rows that reference the region.
	Children(ctx context.Context, id uuid.UUID) (iam.Children, error)
}

// TenantFilter narrows a tenant list.
type TenantFilter struct {
	Q        string
	Active   *bool
	RegionID *uuid.UUID
}

// Tenants reads tenants.
type Tenants interface {
	Get(ctx context.Context, s Scope, id uuid.UUID) (*iam.Tenant, error)
	List(ctx context.Context, s Scope, f TenantFilter, p PageRequest) (Page[iam.Tenant], error)
}

// TenantRepository changes tenants.
type TenantRepository interface {
	Tenants
	Create(ctx context.Context, t *iam.Tenant) error
	Update(ctx context.Context, t *iam.Tenant) error
	Delete(ctx context.Context, id uuid.UUID, at time.Time) error
	Children(ctx context.Context, id uuid.UUID) (iam.Children, error)
}

// OrganizationFilter narrows an organization list.
type OrganizationFilter struct {
	Q        string
	Active   *bool
	TenantID *uuid.UUID
}

// Organizations reads organizations.
type Organizations interface {
	Get(ctx context.Context, s Scope, id uuid.UUID) (*iam.Organization, error)
	List(ctx context.Context, s Scope, f OrganizationFilter, p PageRequest) (Page[iam.Organization], error)
}

// OrganizationRepository changes organizations.
type OrganizationRepository interface {
	Organizations
	Create(ctx context.Context, o *iam.Organization) error
	Update(ctx context.Context, o *iam.Organization) error
	Delete(ctx context.Context, id uuid.UUID, at time.Time) error
	Children(ctx context.Context, id uuid.UUID) (iam.Children, error)
}

// WorkspaceFilter narrows a workspace list.
type WorkspaceFilter struct {
	Q              string
	Active         *bool
	OrganizationID *uuid.UUID
}

// Workspaces reads workspaces.
type Workspaces interface {
	Get(ctx context.Context, s Scope, id uuid.UUID) (*iam.Workspace, error)
	List(ctx context.Context, s Scope, f WorkspaceFilter, p PageRequest) (Page[iam.Workspace], error)
}

// WorkspaceRepository changes workspaces.
type WorkspaceRepository interface {
	Workspaces
	Create(ctx context.Context, w *iam.Workspace) error
	Update(ctx context.Context, w *iam.Workspace) error
	Delete(ctx context.Context, id uuid.UUID, at time.Time) error
}

// UserFilter narrows a user list.
type UserFilter struct {
	Q              string // substring of email, first or last name
	OrganizationID *uuid.UUID
	Status         *iam.UserStatus
	Email          string // exact, case-insensitive
}

// Users reads users and what is granted to them directly.
type Users interface {
	Get(ctx context.Context, s Scope, id uuid.UUID) (*iam.User, error)
	List(ctx context.Context, s Scope, f UserFilter, p PageRequest) (Page[iam.User], error)
	// Roles lists the roles granted to the user directly (not through groups).
	Roles(ctx context.Context, userID uuid.UUID, p PageRequest) (Page[iam.RoleGrant], error)
	// Permissions lists the permissions granted to the user directly.
	Permissions(ctx context.Context, userID uuid.UUID, p PageRequest) (Page[iam.PermissionGrant], error)
}

// UserRepository changes users. Update writes every mutable column (profile, status,
// password and lockout fields, deleted_at).
type UserRepository interface {
	Users
	Create(ctx context.Context, u *iam.User) error
	Update(ctx context.Context, u *iam.User) error
}

// RoleFilter narrows a role list.
type RoleFilter struct {
	Q              string
	Tier           *int
	System         *bool
	OrganizationID *uuid.UUID // roles owned by this organization
}

// Roles reads roles. Outside the All scope a caller sees global roles and the roles of their
// tenant and organization.
type Roles interface {
	Get(ctx context.Context, s Scope, id uuid.UUID) (*iam.Role, error)
	List(ctx context.Context, s Scope, f RoleFilter, p PageRequest) (Page[iam.Role], error)
	// Permissions lists the permissions in the role.
	Permissions(ctx context.Context, roleID uuid.UUID, p PageRequest) (Page[iam.PermissionGrant], error)
	// Users lists the users in scope s holding the role directly.
	Users(ctx context.Context, s Scope, roleID uuid.UUID, p PageRequest) (Page[iam.User], error)
}

// RoleRepository changes roles.
type RoleRepository interface {
	Roles
	Create(ctx context.Context, r *iam.Role) error
	Update(ctx context.Context, r *iam.Role) error
	Delete(ctx context.Context, id uuid.UUID, at time.Time) error
	// Holders counts the live users and groups that hold the role.
	Holders(ctx context.Context, id uuid.UUID) (iam.Children, error)
}

// PermissionFilter narrows a permission list.
type PermissionFilter struct {
	Q        string
	Resource string
	Action   string
	System   *bool
}

// Permissions reads the permission catalog (the same for every caller).
type Permissions interface {
	Get(ctx context.Context, id uuid.UUID) (*iam.Permission, error)
	List(ctx context.Context, f PermissionFilter, p PageRequest) (Page[iam.Permission], error)
}

// PermissionRepository changes the catalog.
type PermissionRepository interface {
	Permissions
	Create(ctx context.Context, p *iam.Permission) error
	Update(ctx context.Context, p *iam.Permission) error
	Delete(ctx context.Context, id uuid.UUID, at time.Time) error
	// Holders counts the live roles and users holding the permission.
	Holders(ctx context.Context, id uuid.UUID) (iam.Children, error)
}

// GroupFilter narrows a group list.
type GroupFilter struct {
	Q              string
	OrganizationID *uuid.UUID
}

// Groups reads groups, their members and roles.
type Groups interface {
	Get(ctx context.Context, s Scope, id uuid.UUID) (*iam.Group, error)
	List(ctx context.Context, s Scope, f GroupFilter, p PageRequest) (Page[iam.Group], error)
	Members(ctx context.Context, groupID uuid.UUID, p PageRequest) (Page[iam.User], error)
	Roles(ctx context.Context, groupID uuid.UUID, p PageRequest) (Page[iam.RoleGrant], error)
}

// GroupRepository changes groups.
type GroupRepository interface {
	Groups
	Create(ctx context.Context, g *iam.Group) error
	Update(ctx context.Context, g *iam.Group) error
	// Delete soft-deletes the group and ends its memberships and role grants, returning whom
	// and what they were.
	Delete(ctx context.Context, id uuid.UUID, at time.Time) (members, roles []uuid.UUID, err error)
}

// Assignment is who granted something and when.
type Assignment struct {
	At time.Time
	By *uuid.UUID
}

// GrantRepository adds and removes the join rows. Adding an existing grant answers
// errs.Conflict (already_exists); removing an absent one answers errs.NotFound.
type GrantRepository interface {
	AssignRole(ctx context.Context, userID, roleID uuid.UUID, a Assignment) error
	RevokeRole(ctx context.Context, userID, roleID uuid.UUID) error
	// RevokeRoles takes the named roles from the user at once; errs.NotFound when one of
	// them was not granted (any more).
	RevokeRoles(ctx context.Context, userID uuid.UUID, roleIDs []uuid.UUID) error
	GrantPermission(ctx context.Context, userID, permissionID uuid.UUID, a Assignment) error
	RevokePermission(ctx context.Context, userID, permissionID uuid.UUID) error
	AddRolePermission(ctx context.Context, roleID, permissionID uuid.UUID, a Assignment) error
	RemoveRolePermission(ctx context.Context, roleID, permissionID uuid.UUID) error
	AddMember(ctx context.Context, groupID, userID uuid.UUID, a Assignment) error
	RemoveMember(ctx context.Context, groupID, userID uuid.UUID) error
	AddGroupRole(ctx context.Context, groupID, roleID uuid.UUID, a Assignment) error
	RemoveGroupRole(ctx context.Context, groupID, roleID uuid.UUID) error
}
