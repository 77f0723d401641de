// Package authz decides whether a user may do something, and says why: effective permissions
// are the union of role, group-role and direct grants, confined to the user's organization
// (super administrators excepted) and, for the demo tier, to the demo organization.
package authz

import (
	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/rbac"
)

// GrantKind says how a permission reached a user.
type GrantKind uint8

const (
	GrantRole   GrantKind = iota + 1 // a role assigned to the user
	GrantGroup                       // a role assigned to a group the user belongs to
	GrantDirect                      // the permission assigned to the user directly
)

func (k GrantKind) String() string {
	switch k {
	case GrantRole:
		return "role"
	case GrantGroup:
		return "group"
	case GrantDirect:
		return "direct"
	}
	return ""
}

// Grant is one path by which a user holds a permission.
type Grant struct {
	Permission   string
	PermissionID uuid.UUID
	Kind         GrantKind
	RoleID       uuid.UUID // role and group grants
	RoleName     string
	RoleTier     rbac.Tier
	GroupID      uuid.UUID // group grants
	GroupName    string
}

// Reason is the grant in words, as the decision API reports it.
func (g Grant) Reason() string {
	switch g.Kind {
	case GrantRole:
		return "role:" + g.RoleName
	case GrantGroup:
		return "group:" + g.GroupName + "/role:" + g.RoleName
	default:
		return "direct"
	}
}

// Subject is everything a decision about one user needs, loaded once and cached.
type Subject struct {
	UserID         uuid.UUID
	OrganizationID uuid.UUID
	TenantID       uuid.UUID
	Exists         bool // false: no live user with this id
	Active         bool
	Grants         []Grant
	Roles          []RoleView
}

// RoleView is one role the subject holds (directly or through a group).
type RoleView struct {
	ID     uuid.UUID
	Name   string
	Tier   rbac.Tier
	System bool
	// ViaGroup is set when the role reaches the user through a group.
	ViaGroup uuid.UUID
}
