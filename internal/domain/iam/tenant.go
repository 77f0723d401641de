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
type TenantFields struct {
	Name, Slug, Description *string
	Active                  *bool
}

// NewTenant validates and builds a tenant in region.
func NewTenant(region uuid.UUID, f TenantFields, now time.Time) (*Tenant, error) {
	t := &Tenant{ID: NewID(), RegionID: region, Active: true, CreatedAt: Stamp(now), UpdatedAt: Stamp(now)}
	var c checker
	t.Name = c.name("name", deref(f.Name))
	t.Slug = c.slug(deref(f.Slug))
	t.Description = c.description(deref(f.Description))
	if f.Active != nil {
		t.Active = *f.Active
	}
	return t, c.err()
}

// Apply changes the given fields.
func (t *Tenant) Apply(f TenantFields, now time.Time) error {
	if f == (TenantFields{}) {
		return emptyPatch()
	}
	var c checker
	if f.Name != nil {
		t.Name = c.name("name", *f.Name)
	}
	if f.Slug != nil {
		t.Slug = c.slug(*f.Slug)
	}
	if f.Description != nil {
		t.Description = c.description(*f.Description)
	}
	if f.Active != nil {
		t.Active = *f.Active
	}
	t.UpdatedAt = Stamp(now)
	return c.err()
}
