package iam

import (
	"time"

	"github.com/google/uuid"
)

// Organization is a business unit inside a tenant and the default authorization scope.
type Organization struct {
	ID          uuid.UUID
	Name        string
	Slug        string
	TenantID    uuid.UUID
	Description string
	Domain      *string
	Active      bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// OrganizationFields are the settable fields of an organization. Domain is doubly optional:
// SetDomain says whether it was given, Domain nil then clears it.
type OrganizationFields struct {
	Name, Slug, Description *string
	SetDomain               bool
	Domain                  *string
	Active                  *bool
}

func (f OrganizationFields) empty() bool {
	return f.Name == nil && f.Slug == nil && f.Description == nil && !f.SetDomain && f.Active == nil
}

// NewOrganization validates and builds an organization in tenant.
func NewOrganization(tenant uuid.UUID, f OrganizationFields, now time.Time) (*Organization, error) {
	o := &Organization{ID: NewID(), TenantID: tenant, Active: true, CreatedAt: Stamp(now), UpdatedAt: Stamp(now)}
	var c checker
	o.Name = c.name("name", deref(f.Name))
	o.Slug = c.slug(deref(f.Slug))
	o.Description = c.description(deref(f.Description))
	o.Domain = c.domain(f.Domain)
	if f.Active != nil {
		o.Active = *f.Active
	}
	return o, c.err()
}

// Apply changes the given fields.
func (o *Organization) Apply(f OrganizationFields, now time.Time) error {
	if f.empty() {
		return emptyPatch()
	}
	var c checker
	if f.Name != nil {
		o.Name = c.name("name", *f.Name)
	}
	if f.Slug != nil {
		o.Slug = c.slug(*f.Slug)
	}
	if f.Description != nil {
		o.Description = c.description(*f.Description)
	}
	if f.SetDomain {
		o.Domain = c.domain(f.Domain)
	}
	if f.Active != nil {
		o.Active = *f.Active
	}
	o.UpdatedAt = Stamp(now)
	return c.err()
}

// domain checks an optional DNS name; an empty string means none.
func (c *checker) domain(v *string) *string {
	if v == nil || *v == "" {
		return nil
	}
	if len(*v) > MaxDomainLen || !domainPattern.MatchString(*v) {
		c.add("domain", "must be a lower-case DNS name such as eng.example.com")
	}
	d := *v
	return &d
}
