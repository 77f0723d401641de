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
	// RequireMFA: every user of the organization must have a second factor.
	RequireMFA bool
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// OrganizationFields are the settable fields of an organization. Domain is doubly optional:
// SetDomain says whether it was given, Domain nil then clears it.
type OrganizationFields struct {
	Name, Slug, Description *string
	SetDomain               bool
	Domain                  *string
	Active                  *bool
	RequireMFA              *bool
}

func (f OrganizationFields) empty() bool {
	return f.scopeFields() == (ScopeFields{}) && !f.SetDomain && f.RequireMFA == nil
}

func (f OrganizationFields) scopeFields() ScopeFields {
	return ScopeFields{Name: f.Name, Slug: f.Slug, Description: f.Description, Active: f.Active}
}

// NewOrganization validates and builds an organization in tenant.
func NewOrganization(tenant uuid.UUID, f OrganizationFields, now time.Time) (*Organization, error) {
	o := &Organization{ID: NewID(), TenantID: tenant, Active: true, CreatedAt: Stamp(now)}
	var c checker
	o.scope().create(&c, f.scopeFields(), now)
	o.Domain = c.domain(f.Domain)
	if f.RequireMFA != nil {
		o.RequireMFA = *f.RequireMFA
	}
	return o, c.err()
}

// Apply changes the given fields.
func (o *Organization) Apply(f OrganizationFields, now time.Time) error {
	if f.empty() {
		return emptyPatch()
	}
	var c checker
	o.scope().patch(&c, f.scopeFields(), now)
	if f.SetDomain {
		o.Domain = c.domain(f.Domain)
	}
	if f.RequireMFA != nil {
		o.RequireMFA = *f.RequireMFA
		o.UpdatedAt = Stamp(now)
	}
	return c.err()
}

func (o *Organization) scope() scope {
	return scope{name: &o.Name, key: &o.Slug, checkKey: (*checker).slug, description: &o.Description, active: &o.Active, updatedAt: &o.UpdatedAt}
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
