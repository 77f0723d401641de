package port

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/iam"
)

// The parts every repository is made of. Each resource's ports below combine them with what
// is its own (the rows that reference it, what it holds).

// ScopedReader reads one kind of entity through a scope. Get answers errs.NotFound for an id
// that is absent, soft-deleted or outside the scope; List pages through what the scope shows
// and the filter F keeps.
type ScopedReader[T, F any] interface {
	Get(ctx context.Context, s Scope, id uuid.UUID) (*T, error)
	List(ctx context.Context, s Scope, f F, p PageRequest) (Page[T], error)
}

// Writer stores new and changed entities of one kind. Both answer errs.Conflict
// (already_exists, naming the field) when a unique key is taken by a live row; Update answers
// errs.NotFound when the row is gone.
type Writer[T any] interface {
	Create(ctx context.Context, v *T) error
	Update(ctx context.Context, v *T) error
}

// Deleter soft-deletes an entity: the row stays, invisible to every read.
type Deleter interface {
	Delete(ctx context.Context, id uuid.UUID, at time.Time) error
}

// ParentRepository changes one kind of entity that others hang below (regions, tenants,
// organizations): Children counts the live rows referencing one, which keep it from being
// deleted.
type ParentRepository[T, F any] interface {
	ScopedReader[T, F]
	Writer[T]
	Deleter
	Children(ctx context.Context, id uuid.UUID) (iam.Children, error)
}

// RegionFilter narrows a region list.
type RegionFilter struct {
	Q      string // case-insensitive substring of name or code
	Active *bool
}

// Regions reads regions.
type Regions = ScopedReader[iam.Region, RegionFilter]

// RegionRepository changes regions; their children are the live tenants.
type RegionRepository = ParentRepository[iam.Region, RegionFilter]

// TenantFilter narrows a tenant list.
type TenantFilter struct {
	Q        string
	Active   *bool
	RegionID *uuid.UUID
}

// Tenants reads tenants.
type Tenants = ScopedReader[iam.Tenant, TenantFilter]

// TenantRepository changes tenants; their children are the live organizations and tenant
// roles.
type TenantRepository = ParentRepository[iam.Tenant, TenantFilter]

// OrganizationFilter narrows an organization list.
type OrganizationFilter struct {
	Q        string
	Active   *bool
	TenantID *uuid.UUID
}

// Organizations reads organizations.
type Organizations = ScopedReader[iam.Organization, OrganizationFilter]

// OrganizationRepository changes organizations; their children are the live workspaces,
// users, groups and organization roles.
type OrganizationRepository = ParentRepository[iam.Organization, OrganizationFilter]

// WorkspaceFilter narrows a workspace list.
type WorkspaceFilter struct {
	Q              string
	Active         *bool
	OrganizationID *uuid.UUID
}

// Workspaces reads workspaces.
type Workspaces = ScopedReader[iam.Workspace, WorkspaceFilter]

// WorkspaceRepository changes workspaces (nothing references a workspace).
type WorkspaceRepository interface {
	Workspaces
	Writer[iam.Workspace]
	Deleter
}

// UserFilter narrows a user list.
type UserFilter struct {
	Q              string // substring of email, first or last name
	OrganizationID *uuid.UUID
	Status         *iam.UserStatus
	Email          string // exact, case-insensitive
	Kind           *iam.UserKind
}

// Users reads users and what is granted to them directly.
type Users interface {
	ScopedReader[iam.User, UserFilter]
	// Roles lists the roles granted to the user directly (not through groups).
	Roles(ctx context.Context, userID uuid.UUID, p PageRequest) (Page[iam.RoleGrant], error)
	// Permissions lists the permissions granted to the user directly.
	Permissions(ctx context.Context, userID uuid.UUID, p PageRequest) (Page[iam.PermissionGrant], error)
}

// UserRepository changes users. Update writes every mutable column (profile, status,
// password and lockout fields, deleted_at): a user is deleted through the lifecycle.
type UserRepository interface {
	Users
	Writer[iam.User]
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
	ScopedReader[iam.Role, RoleFilter]
	// Permissions lists the permissions in the role.
	Permissions(ctx context.Context, roleID uuid.UUID, p PageRequest) (Page[iam.PermissionGrant], error)
	// Users lists the users in scope s holding the role directly.
	Users(ctx context.Context, s Scope, roleID uuid.UUID, p PageRequest) (Page[iam.User], error)
}

// RoleRepository changes roles.
type RoleRepository interface {
	Roles
	Writer[iam.Role]
	Deleter
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

// Permissions reads the permission catalog (the same for every caller: no scope).
type Permissions interface {
	Get(ctx context.Context, id uuid.UUID) (*iam.Permission, error)
	List(ctx context.Context, f PermissionFilter, p PageRequest) (Page[iam.Permission], error)
}

// PermissionRepository changes the catalog.
type PermissionRepository interface {
	Permissions
	Writer[iam.Permission]
	Deleter
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
	ScopedReader[iam.Group, GroupFilter]
	Members(ctx context.Context, groupID uuid.UUID, p PageRequest) (Page[iam.User], error)
	Roles(ctx context.Context, groupID uuid.UUID, p PageRequest) (Page[iam.RoleGrant], error)
}

// GroupRepository changes groups.
type GroupRepository interface {
	Groups
	Writer[iam.Group]
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
