package iam

import (
	"time"

	"github.com/google/uuid"
)

// Region is a geographic placement for tenants.
type Region struct {
	ID          uuid.UUID
	Name        string
	Code        string
	Description string
	Active      bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// RegionFields are the settable fields of a region; nil means "not given".
type RegionFields struct {
	Name, Code, Description *string
	Active                  *bool
}

// NewRegion validates and builds a region (active unless said otherwise).
func NewRegion(f RegionFields, now time.Time) (*Region, error) {
	r := &Region{ID: NewID(), Active: true, CreatedAt: Stamp(now), UpdatedAt: Stamp(now)}
	var c checker
	r.Name = c.name("name", deref(f.Name))
	r.Code = c.pattern("code", deref(f.Code), regionCodePattern, "2-50 lower-case letters, digits or dashes")
	r.Description = c.description(deref(f.Description))
	if f.Active != nil {
		r.Active = *f.Active
	}
	return r, c.err()
}

// Apply changes the given fields.
func (r *Region) Apply(f RegionFields, now time.Time) error {
	if f == (RegionFields{}) {
		return emptyPatch()
	}
	var c checker
	if f.Name != nil {
		r.Name = c.name("name", *f.Name)
	}
	if f.Code != nil {
		r.Code = c.pattern("code", *f.Code, regionCodePattern, "2-50 lower-case letters, digits or dashes")
	}
	if f.Description != nil {
		r.Description = c.description(*f.Description)
	}
	if f.Active != nil {
		r.Active = *f.Active
	}
	r.UpdatedAt = Stamp(now)
	return c.err()
}
