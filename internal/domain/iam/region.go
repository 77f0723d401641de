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
	r := &Region{ID: NewID(), Active: true, CreatedAt: Stamp(now)}
	return newScoped(r, r.scope(), f.scopeFields(), now)
}

// Apply changes the given fields.
func (r *Region) Apply(f RegionFields, now time.Time) error {
	return applyScoped(r.scope(), f.scopeFields(), now)
}

// scopeFields: a region's code takes the place of a slug.
func (f RegionFields) scopeFields() ScopeFields {
	return ScopeFields{Name: f.Name, Slug: f.Code, Description: f.Description, Active: f.Active}
}

func (r *Region) scope() scope {
	return scope{name: &r.Name, key: &r.Code, checkKey: (*checker).regionCode, description: &r.Description,
		active: &r.Active, updatedAt: &r.UpdatedAt}
}

func (c *checker) regionCode(v string) string {
	return c.pattern("code", v, regionCodePattern, "2-50 lower-case letters, digits or dashes")
}
