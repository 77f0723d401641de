package event

import "github.com/google/uuid"

// RoleCreated: a custom role was created.
type RoleCreated struct {
	RoleID   uuid.UUID `json:"role_id"`
	Name     string    `json:"name"`
	Tier     int       `json:"tier"`
	ScopeKey string    `json:"scope_key"`
}

func (e RoleCreated) Meta() Meta { return Meta{"RoleCreated", 1, AggregateRole, e.RoleID.String()} }

// RoleUpdated: a custom role's name, description or tier changed.
type RoleUpdated struct {
	RoleID uuid.UUID `json:"role_id"`
	Name   string    `json:"name"`
	Tier   int       `json:"tier"`
}

func (e RoleUpdated) Meta() Meta { return Meta{"RoleUpdated", 1, AggregateRole, e.RoleID.String()} }

// RoleDeleted: a custom role nobody held was soft-deleted.
type RoleDeleted struct {
	RoleID uuid.UUID `json:"role_id"`
}

func (e RoleDeleted) Meta() Meta { return Meta{"RoleDeleted", 1, AggregateRole, e.RoleID.String()} }

// PermissionCreated: a custom permission was added to the catalog.
type PermissionCreated struct {
	PermissionID uuid.UUID `json:"permission_id"`
	Name         string    `json:"name"`
}

func (e PermissionCreated) Meta() Meta {
	return Meta{"PermissionCreated", 1, AggregatePermission, e.PermissionID.String()}
}

// PermissionUpdated: a custom permission's description changed.
type PermissionUpdated struct {
	PermissionID uuid.UUID `json:"permission_id"`
	Name         string    `json:"name"`
}

func (e PermissionUpdated) Meta() Meta {
	return Meta{"PermissionUpdated", 1, AggregatePermission, e.PermissionID.String()}
}

// PermissionDeleted: a custom permission no role or user held was soft-deleted.
type PermissionDeleted struct {
	PermissionID uuid.UUID `json:"permission_id"`
	Name         string    `json:"name"`
}

func (e PermissionDeleted) Meta() Meta {
	return Meta{"PermissionDeleted", 1, AggregatePermission, e.PermissionID.String()}
}

// GroupCreated: a group was created in an organization.
type GroupCreated struct {
	GroupID        uuid.UUID `json:"group_id"`
	OrganizationID uuid.UUID `json:"organization_id"`
	Name           string    `json:"name"`
}

func (e GroupCreated) Meta() Meta { return Meta{"GroupCreated", 1, AggregateGroup, e.GroupID.String()} }

// GroupUpdated: a group's name or description changed.
type GroupUpdated struct {
	GroupID uuid.UUID `json:"group_id"`
	Name    string    `json:"name"`
}

func (e GroupUpdated) Meta() Meta { return Meta{"GroupUpdated", 1, AggregateGroup, e.GroupID.String()} }

// GroupDeleted: a group was soft-deleted; its memberships and role grants ended with it, so
// MemberIDs lists the users whose effective permissions may have changed.
type GroupDeleted struct {
	GroupID   uuid.UUID   `json:"group_id"`
	MemberIDs []uuid.UUID `json:"member_ids"`
	RoleIDs   []uuid.UUID `json:"role_ids"`
}

func (e GroupDeleted) Meta() Meta { return Meta{"GroupDeleted", 1, AggregateGroup, e.GroupID.String()} }

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
