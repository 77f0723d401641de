package iam

import (
	"time"

	"github.com/google/uuid"
)

// Tenant is the top-level customer boundary; it lives in one region.
type Tenant struct {
	ID          uuid.UUID
	Name        string
	Slug        string
	RegionID    uuid.UUID
	Description string
	Active      bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// TenantFields are the settable fields of a tenant (the region is fixed at creation).
type TenantFields = ScopeFields

// NewTenant validates and builds a tenant in region.
func NewTenant(region uuid.UUID, f TenantFields, now time.Time) (*Tenant, error) {
	t := &Tenant{ID: NewID(), RegionID: region, Active: true, CreatedAt: Stamp(now)}
	return newScoped(t, t.scope(), f, now)
}

// Apply changes the given fields.
func (t *Tenant) Apply(f TenantFields, now time.Time) error { return applyScoped(t.scope(), f, now) }

func (t *Tenant) scope() scope {
	return scope{name: &t.Name, key: &t.Slug, checkKey: (*checker).slug, description: &t.Description, active: &t.Active, updatedAt: &t.UpdatedAt}
}
