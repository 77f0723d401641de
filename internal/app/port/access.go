package port

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/domain/rbac"
)

// Standing is what authorization needs to know about a user: where they are, whether they
// may act at all, and how powerful their roles are (direct and through groups).
type Standing struct {
	UserID         uuid.UUID
	OrganizationID uuid.UUID
	TenantID       uuid.UUID
	RegionID       uuid.UUID
	Status         iam.UserStatus
	// HierarchyActive: the user's organization, its tenant and its region are all active and
	// live. A user under anything inactive is treated as inactive.
	HierarchyActive    bool
	SuperAdministrator bool
	BestTier           rbac.Tier
}

// Access answers questions about what users hold. The authorization work reuses (and caches)
// EffectivePermissions, so it must stay cheap and side-effect free.
type Access interface {
	// EffectivePermissions is the union of the permissions of the user's roles, of their
	// groups' roles and of their direct grants, one Grant per path (a permission reachable
	// twice appears twice, with each source). Deleted roles, groups and permissions give
	// nothing. An unknown user has none.
	EffectivePermissions(ctx context.Context, userID uuid.UUID) ([]iam.Grant, error)
	// HeldRoles lists the live roles the user holds, directly or through live groups, most
	// powerful tier first.
	HeldRoles(ctx context.Context, userID uuid.UUID) ([]iam.Role, error)
	// Standing describes a live user; errs.NotFound for absent or deleted users.
	Standing(ctx context.Context, userID uuid.UUID) (Standing, error)
	// ActiveSuperAdministrators counts live, active users holding super_administrator
	// directly or through a group.
	ActiveSuperAdministrators(ctx context.Context) (int, error)
	// LockSuperAdministrators serialises changes that could remove the last super
	// administrator (a row lock on PostgreSQL; SQLite writers are serialised already).
	LockSuperAdministrators(ctx context.Context) error

	// The acting-on rule compares powers (iam.Power): live permissions, whether
	// super_administrator is among the live roles, and their best tier. Each is one query.

	// UserPower is what one user holds: their roles, their live groups' roles and their
	// direct permissions. An unknown user holds nothing.
	UserPower(ctx context.Context, userID uuid.UUID) (iam.Power, error)
	// RolesPower is what the live roles carry together.
	RolesPower(ctx context.Context, roleIDs ...uuid.UUID) (iam.Power, error)
	// GroupPower is what a group's live roles carry: what joining the group gives.
	GroupPower(ctx context.Context, groupID uuid.UUID) (iam.Power, error)
	// MembersPower is what the live members of a group hold together: everyone a change to
	// the group's roles reaches.
	MembersPower(ctx context.Context, groupID uuid.UUID) (iam.Power, error)
	// HoldersPower is what the live users holding a role, directly or through a live group,
	// hold together: everyone a change to the role reaches.
	HoldersPower(ctx context.Context, roleID uuid.UUID) (iam.Power, error)
}
