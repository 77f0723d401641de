package iam

import "github.com/google/uuid"

// Owner is the organization an entity belongs to: the organization whose auditors see the
// audit rows of reads and changes of it (docs/audit.md). uuid.Nil means it belongs to none:
// regions, tenants, the permission catalog, global and tenant roles.

// Owner is uuid.Nil: a region belongs to no organization.
func (*Region) Owner() uuid.UUID { return uuid.Nil }

// Owner is uuid.Nil: a tenant belongs to no organization.
func (*Tenant) Owner() uuid.UUID { return uuid.Nil }

// Owner is the organization itself.
func (o *Organization) Owner() uuid.UUID { return o.ID }

// Owner is the workspace's organization.
func (w *Workspace) Owner() uuid.UUID { return w.OrganizationID }

// Owner is the user's organization.
func (u *User) Owner() uuid.UUID { return u.OrganizationID }

// Owner is the group's organization.
func (g *Group) Owner() uuid.UUID { return g.OrganizationID }

// Owner is the organization owning the role; uuid.Nil for global and tenant roles.
func (r *Role) Owner() uuid.UUID { return r.Scope.Organization() }

// Owner is uuid.Nil: the permission catalog is shared by every organization.
func (*Permission) Owner() uuid.UUID { return uuid.Nil }
