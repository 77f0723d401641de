package iam

import (
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/rbac"
)

// GlobalScopeKey is the scope key of roles that belong to no tenant or organization.
const GlobalScopeKey = "global"

// RoleScope says who owns a role: nobody (global), one tenant, or one organization (then
// TenantID is that organization's tenant).
type RoleScope struct {
	TenantID       *uuid.UUID
	OrganizationID *uuid.UUID
}

// Organization is the organization that owns the role; uuid.Nil for global and tenant roles.
func (s RoleScope) Organization() uuid.UUID {
	if s.OrganizationID == nil {
		return uuid.Nil
	}
	return *s.OrganizationID
}

// Key is the role's scope_key: "global", "t:<tenant id>" or "o:<organization id>". Names are
// unique per key.
func (s RoleScope) Key() string {
	switch {
	case s.OrganizationID != nil:
		return OrganizationScopeKey(*s.OrganizationID)
	case s.TenantID != nil:
		return TenantScopeKey(*s.TenantID)
	}
	return GlobalScopeKey
}

// Global reports whether the role belongs to no tenant or organization.
func (s RoleScope) Global() bool { return s.TenantID == nil && s.OrganizationID == nil }

// TenantScopeKey is the scope key of roles owned by a tenant.
func TenantScopeKey(id uuid.UUID) string { return "t:" + id.String() }

// OrganizationScopeKey is the scope key of roles owned by an organization.
func OrganizationScopeKey(id uuid.UUID) string { return "o:" + id.String() }

// Role bundles permissions at one of five tiers.
type Role struct {
	ID          uuid.UUID
	Name        string
	Description string
	Tier        rbac.Tier
	System      bool
	Scope       RoleScope
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// RoleFields are the settable fields of a role.
type RoleFields struct {
	Name, Description *string
	Tier              *int
}

// NewRole validates and builds a custom (non-system) role.
func NewRole(scope RoleScope, f RoleFields, now time.Time) (*Role, error) {
	r := &Role{ID: NewID(), Scope: scope, CreatedAt: Stamp(now), UpdatedAt: Stamp(now)}
	var c checker
	r.Name = c.pattern("name", deref(f.Name), roleNamePattern, "1-100 lower-case letters, digits, '_', '.' or '-', starting with a letter or digit")
	r.Description = c.description(deref(f.Description))
	r.Tier = c.tier(f.Tier)
	return r, c.err()
}

// Apply changes the given fields of a custom role.
func (r *Role) Apply(f RoleFields, now time.Time) error {
	if err := r.EnsureMutable(); err != nil {
		return err
	}
	if f == (RoleFields{}) {
		return emptyPatch()
	}
	var c checker
	if f.Name != nil {
		r.Name = c.pattern("name", *f.Name, roleNamePattern, "1-100 lower-case letters, digits, '_', '.' or '-', starting with a letter or digit")
	}
	if f.Description != nil {
		r.Description = c.description(*f.Description)
	}
	if f.Tier != nil {
		r.Tier = c.tier(f.Tier)
	}
	r.UpdatedAt = Stamp(now)
	return c.err()
}

// EnsureMutable refuses any change to a system role (its name, tier and grants are what the
// whole authorization model relies on).
func (r *Role) EnsureMutable() error {
	if r.System {
		return errs.New(errs.KindConflict, CodeSystemRoleImmutable, "System role "+r.Name+" cannot be changed or deleted.")
	}
	return nil
}

// IsSuperAdministrator reports whether this is the global system role of tier 1.
func (r *Role) IsSuperAdministrator() bool {
	return r.System && r.Name == rbac.RoleSuperAdministrator && r.Scope.Global()
}

// GrantableTo reports whether the role may be granted inside an organization of a tenant:
// global roles anywhere, tenant roles inside that tenant, organization roles inside that
// organization only.
func (r *Role) GrantableTo(tenant, org uuid.UUID) bool {
	switch {
	case r.Scope.OrganizationID != nil:
		return *r.Scope.OrganizationID == org
	case r.Scope.TenantID != nil:
		return *r.Scope.TenantID == tenant
	}
	return true
}

// EnsureGrantableTo is GrantableTo as a 422 error.
func (r *Role) EnsureGrantableTo(tenant, org uuid.UUID) error {
	if r.GrantableTo(tenant, org) {
		return nil
	}
	return errs.New(errs.KindUnprocessable, CodeRoleScopeMismatch,
		"Role "+r.Name+" belongs to another tenant or organization and cannot be granted here.")
}

func (c *checker) tier(v *int) rbac.Tier {
	if v == nil {
		c.add("tier", "is required")
		return 0
	}
	t := rbac.Tier(*v)
	if !t.Valid() {
		c.add("tier", "must be between 1 and 5")
	}
	return t
}
