package event

import "github.com/google/uuid"

// RoleCreated: a custom role was created.
type RoleCreated struct {
	RoleID   uuid.UUID `json:"role_id"`
	Name     string    `json:"name"`
	Tier     int       `json:"tier"`
	ScopeKey string    `json:"scope_key"`
}

func (e RoleCreated) Meta() Meta { return v1("RoleCreated", AggregateRole, e.RoleID) }

// RoleUpdated: a custom role's name, description or tier changed.
type RoleUpdated struct {
	RoleID uuid.UUID `json:"role_id"`
	Name   string    `json:"name"`
	Tier   int       `json:"tier"`
}

func (e RoleUpdated) Meta() Meta { return v1("RoleUpdated", AggregateRole, e.RoleID) }

// RoleDeleted: a custom role nobody held was soft-deleted.
type RoleDeleted struct {
	RoleID uuid.UUID `json:"role_id"`
}

func (e RoleDeleted) Meta() Meta { return v1("RoleDeleted", AggregateRole, e.RoleID) }

// PermissionCreated: a custom permission was added to the catalog.
type PermissionCreated struct {
	PermissionID uuid.UUID `json:"permission_id"`
	Name         string    `json:"name"`
}

func (e PermissionCreated) Meta() Meta {
	return v1("PermissionCreated", AggregatePermission, e.PermissionID)
}

// PermissionUpdated: a custom permission's description changed.
type PermissionUpdated struct {
	PermissionID uuid.UUID `json:"permission_id"`
	Name         string    `json:"name"`
}

func (e PermissionUpdated) Meta() Meta {
	return v1("PermissionUpdated", AggregatePermission, e.PermissionID)
}

// PermissionDeleted: a custom permission no role or user held was soft-deleted.
type PermissionDeleted struct {
	PermissionID uuid.UUID `json:"permission_id"`
	Name         string    `json:"name"`
}

func (e PermissionDeleted) Meta() Meta {
	return v1("PermissionDeleted", AggregatePermission, e.PermissionID)
}

// GroupCreated: a group was created in an organization.
type GroupCreated struct {
	GroupID        uuid.UUID `json:"group_id"`
	OrganizationID uuid.UUID `json:"organization_id"`
	Name           string    `json:"name"`
}

func (e GroupCreated) Meta() Meta { return v1("GroupCreated", AggregateGroup, e.GroupID) }

// GroupUpdated: a group's name or description changed.
type GroupUpdated struct {
	GroupID uuid.UUID `json:"group_id"`
	Name    string    `json:"name"`
}

func (e GroupUpdated) Meta() Meta { return v1("GroupUpdated", AggregateGroup, e.GroupID) }

// GroupDeleted: a group was soft-deleted; its memberships and role grants ended with it, so
// MemberIDs lists the users whose effective permissions may have changed.
type GroupDeleted struct {
	GroupID   uuid.UUID   `json:"group_id"`
	MemberIDs []uuid.UUID `json:"member_ids"`
	RoleIDs   []uuid.UUID `json:"role_ids"`
}

func (e GroupDeleted) Meta() Meta { return v1("GroupDeleted", AggregateGroup, e.GroupID) }

func init() {
	register[RoleCreated]()
	register[RoleUpdated]()
	register[RoleDeleted]()
	register[PermissionCreated]()
	register[PermissionUpdated]()
	register[PermissionDeleted]()
	register[GroupCreated]()
	register[GroupUpdated]()
	register[GroupDeleted]()
}
