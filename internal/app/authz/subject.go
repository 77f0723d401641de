// Package authz decides whether a user may do something, and says why: effective permissions
// are the union of role, group-role and direct grants, confined to the user's organization
// (super administrators excepted) and, for the demo tier, to the demo organization.
package authz

import (
	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/domain/rbac"
)

// Subject is everything a decision about one user needs, loaded once and cached.
type Subject struct {
	UserID         uuid.UUID
	OrganizationID uuid.UUID
	TenantID       uuid.UUID
	RegionID       uuid.UUID
	Exists         bool // false: no live user with this id
	Status         iam.UserStatus
	// HierarchyActive: the organization, tenant and region above the user are all active.
	HierarchyActive bool
	// Active: the user may act at all (active status under an active hierarchy).
	Active     bool
	SuperAdmin bool
	BestTier   rbac.Tier
	Grants     []iam.Grant
}

// reasonOf is the grant in words, as the decision API reports it.
func reasonOf(g iam.Grant) string {
	switch g.Kind {
	case iam.GrantRole:
		return "role:" + g.SourceName
	case iam.GrantGroup:
		return "group:" + g.SourceName + "/role:" + g.RoleName
	default:
		return "direct"
	}
}
