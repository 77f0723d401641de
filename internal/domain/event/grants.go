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

func (e RoleAssigned) Meta() Meta { return Meta{"RoleAssigned", 1, AggregateUser, e.UserID.String()} }

// RoleRevoked: a role was taken from a user.
type RoleRevoked struct {
	UserID uuid.UUID `json:"user_id"`
	RoleID uuid.UUID `json:"role_id"`
}

func (e RoleRevoked) Meta() Meta { return Meta{"RoleRevoked", 1, AggregateUser, e.UserID.String()} }

// PermissionDirectlyAssigned: a permission was granted to a user directly.
type PermissionDirectlyAssigned struct {
	UserID       uuid.UUID  `json:"user_id"`
	PermissionID uuid.UUID  `json:"permission_id"`
	Permission   string     `json:"permission"`
	AssignedBy   *uuid.UUID `json:"assigned_by,omitempty"`
}

func (e PermissionDirectlyAssigned) Meta() Meta {
	return Meta{"PermissionDirectlyAssigned", 1, AggregateUser, e.UserID.String()}
}

// PermissionDirectlyRevoked: a direct grant was taken from a user.
type PermissionDirectlyRevoked struct {
	UserID       uuid.UUID `json:"user_id"`
	PermissionID uuid.UUID `json:"permission_id"`
	Permission   string    `json:"permission"`
}

func (e PermissionDirectlyRevoked) Meta() Meta {
	return Meta{"PermissionDirectlyRevoked", 1, AggregateUser, e.UserID.String()}
}

// RolePermissionAdded: a permission was put into a role; every holder gains it.
type RolePermissionAdded struct {
	RoleID       uuid.UUID `json:"role_id"`
	PermissionID uuid.UUID `json:"permission_id"`
	Permission   string    `json:"permission"`
}

func (e RolePermissionAdded) Meta() Meta {
	return Meta{"RolePermissionAdded", 1, AggregateRole, e.RoleID.String()}
}

// RolePermissionRemoved: a permission was taken out of a role.
type RolePermissionRemoved struct {
	RoleID       uuid.UUID `json:"role_id"`
	PermissionID uuid.UUID `json:"permission_id"`
	Permission   string    `json:"permission"`
}

func (e RolePermissionRemoved) Meta() Meta {
	return Meta{"RolePermissionRemoved", 1, AggregateRole, e.RoleID.String()}
}

// UserAddedToGroup: a user joined a group and inherits its roles.
type UserAddedToGroup struct {
	GroupID uuid.UUID `json:"group_id"`
	UserID  uuid.UUID `json:"user_id"`
}

func (e UserAddedToGroup) Meta() Meta {
	return Meta{"UserAddedToGroup", 1, AggregateGroup, e.GroupID.String()}
}

// UserRemovedFromGroup: a user left a group.
type UserRemovedFromGroup struct {
	GroupID uuid.UUID `json:"group_id"`
	UserID  uuid.UUID `json:"user_id"`
}

func (e UserRemovedFromGroup) Meta() Meta {
	return Meta{"UserRemovedFromGroup", 1, AggregateGroup, e.GroupID.String()}
}

// GroupRoleAdded: a role was granted to a group; every member gains it.
type GroupRoleAdded struct {
	GroupID uuid.UUID `json:"group_id"`
	RoleID  uuid.UUID `json:"role_id"`
}

func (e GroupRoleAdded) Meta() Meta {
	return Meta{"GroupRoleAdded", 1, AggregateGroup, e.GroupID.String()}
}

// GroupRoleRemoved: a role was taken from a group.
type GroupRoleRemoved struct {
	GroupID uuid.UUID `json:"group_id"`
	RoleID  uuid.UUID `json:"role_id"`
}

func (e GroupRoleRemoved) Meta() Meta {
	return Meta{"GroupRoleRemoved", 1, AggregateGroup, e.GroupID.String()}
}

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
