package iam

import (
	"cmp"
	"slices"
	"time"

	"github.com/google/uuid"
)

// RoleGrant is a role held by a user or a group, with who granted it and when.
type RoleGrant struct {
	Role       Role
	AssignedAt time.Time
	AssignedBy *uuid.UUID
}

// PermissionGrant is a permission granted directly to a user, or put into a role.
type PermissionGrant struct {
	Permission Permission
	AssignedAt time.Time
	AssignedBy *uuid.UUID
}

// GrantKind says how a permission reached a user.
type GrantKind string

const (
	GrantRole   GrantKind = "role"   // a role the user holds
	GrantGroup  GrantKind = "group"  // a role of a group the user belongs to
	GrantDirect GrantKind = "direct" // granted to the user directly
)

// Grant is one path by which a user holds a permission.
type Grant struct {
	Permission   string
	PermissionID uuid.UUID
	Kind         GrantKind
	// SourceID and SourceName name the role (kind role), group (kind group) or permission
	// (kind direct).
	SourceID   uuid.UUID
	SourceName string
	// RoleID and RoleName name the group's role that carries the permission (kind group).
	RoleID   uuid.UUID
	RoleName string
}

// EffectivePermission is one permission a user holds, with every grant that gives it.
type EffectivePermission struct {
	Permission string
	Sources    []Grant
}

// Effective folds grants into one entry per permission, sorted by name, each with its
// sources sorted by kind then name so the answer is stable.
func Effective(grants []Grant) []EffectivePermission {
	by := map[string][]Grant{}
	for _, g := range grants {
		by[g.Permission] = append(by[g.Permission], g)
	}
	out := make([]EffectivePermission, 0, len(by))
	for name, src := range by {
		slices.SortFunc(src, func(a, b Grant) int {
			return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.SourceName, b.SourceName),
				cmp.Compare(a.RoleName, b.RoleName), cmp.Compare(a.SourceID.String(), b.SourceID.String()))
		})
		out = append(out, EffectivePermission{Permission: name, Sources: src})
	}
	slices.SortFunc(out, func(a, b EffectivePermission) int { return cmp.Compare(a.Permission, b.Permission) })
	return out
}

// PermissionSet is the set of permission names a user holds.
type PermissionSet map[string]struct{}

// SetOf returns the names of grants as a set.
func SetOf(grants []Grant) PermissionSet {
	s := make(PermissionSet, len(grants))
	for _, g := range grants {
		s[g.Permission] = struct{}{}
	}
	return s
}

// Has reports whether name is in the set.
func (s PermissionSet) Has(name string) bool {
	_, ok := s[name]
	return ok
}
