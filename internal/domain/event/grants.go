package event

import "github.com/google/uuid"

// Grant events change someone's effective permissions. Subscribers that cache permissions
// invalidate the user (user events), every holder of the role (role events) or every member
// of the group (group events).

// RoleAssigned: a role was granted to a user directly.
type RoleAssigned struct {
	UserID     uuid.UUID  `json:"user_id"`
	RoleID     uuid.UUID  `json:"role_id"`
	AssignedBy *uuid.UUID `json:"assigned_by,omitempty"`
}

func (e RoleAssigned) Meta() Meta { return v1("RoleAssigned", AggregateUser, e.UserID) }

// RoleRevoked: a role was taken from a user.
type RoleRevoked struct {
	UserID uuid.UUID `json:"user_id"`
	RoleID uuid.UUID `json:"role_id"`
}

func (e RoleRevoked) Meta() Meta { return v1("RoleRevoked", AggregateUser, e.UserID) }

// PermissionDirectlyAssigned: a permission was granted to a user directly.
type PermissionDirectlyAssigned struct {
	UserID       uuid.UUID  `json:"user_id"`
	PermissionID uuid.UUID  `json:"permission_id"`
	Permission   string     `json:"permission"`
	AssignedBy   *uuid.UUID `json:"assigned_by,omitempty"`
}

func (e PermissionDirectlyAssigned) Meta() Meta {
	return v1("PermissionDirectlyAssigned", AggregateUser, e.UserID)
}

// PermissionDirectlyRevoked: a direct grant was taken from a user.
type PermissionDirectlyRevoked struct {
	UserID       uuid.UUID `json:"user_id"`
	PermissionID uuid.UUID `json:"permission_id"`
	Permission   string    `json:"permission"`
}

func (e PermissionDirectlyRevoked) Meta() Meta {
	return v1("PermissionDirectlyRevoked", AggregateUser, e.UserID)
}

// RolePermissionAdded: a permission was put into a role; every holder gains it.
type RolePermissionAdded struct {
	RoleID       uuid.UUID `json:"role_id"`
	PermissionID uuid.UUID `json:"permission_id"`
	Permission   string    `json:"permission"`
}

func (e RolePermissionAdded) Meta() Meta { return v1("RolePermissionAdded", AggregateRole, e.RoleID) }

// RolePermissionRemoved: a permission was taken out of a role.
type RolePermissionRemoved struct {
	RoleID       uuid.UUID `json:"role_id"`
	PermissionID uuid.UUID `json:"permission_id"`
	Permission   string    `json:"permission"`
}

func (e RolePermissionRemoved) Meta() Meta {
	return v1("RolePermissionRemoved", AggregateRole, e.RoleID)
}

// UserAddedToGroup: a user joined a group and inherits its roles.
type UserAddedToGroup struct {
	GroupID uuid.UUID `json:"group_id"`
	UserID  uuid.UUID `json:"user_id"`
}

func (e UserAddedToGroup) Meta() Meta { return v1("UserAddedToGroup", AggregateGroup, e.GroupID) }

// UserRemovedFromGroup: a user left a group.
type UserRemovedFromGroup struct {
	GroupID uuid.UUID `json:"group_id"`
	UserID  uuid.UUID `json:"user_id"`
}

func (e UserRemovedFromGroup) Meta() Meta {
	return v1("UserRemovedFromGroup", AggregateGroup, e.GroupID)
}

// GroupRoleAdded: a role was granted to a group; every member gains it.
type GroupRoleAdded struct {
	GroupID uuid.UUID `json:"group_id"`
	RoleID  uuid.UUID `json:"role_id"`
}

func (e GroupRoleAdded) Meta() Meta { return v1("GroupRoleAdded", AggregateGroup, e.GroupID) }

// GroupRoleRemoved: a role was taken from a group.
type GroupRoleRemoved struct {
	GroupID uuid.UUID `json:"group_id"`
	RoleID  uuid.UUID `json:"role_id"`
}

func (e GroupRoleRemoved) Meta() Meta { return v1("GroupRoleRemoved", AggregateGroup, e.GroupID) }

func init() {
	register[RoleAssigned]()
	register[RoleRevoked]()
	register[PermissionDirectlyAssigned]()
	register[PermissionDirectlyRevoked]()
	register[RolePermissionAdded]()
	register[RolePermissionRemoved]()
	register[UserAddedToGroup]()
	register[UserRemovedFromGroup]()
	register[GroupRoleAdded]()
	register[GroupRoleRemoved]()
}
