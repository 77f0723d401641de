package iam

import "time"

// ScopeFields are the settable fields of the scopes named by a slug (tenants, workspaces, and
// with a domain on top, organizations): a name, the slug, a description and the active flag.
// The parent (region, tenant, organization) is not among them: it is fixed at creation.
type ScopeFields struct {
	Name, Slug, Description *string
	Active                  *bool
}

// scope points at the ScopeFields of one entity, so that tenants, organizations and
// workspaces check and change them by the same rules.
type scope struct {
	name, slug, description *string
	active                  *bool
	updatedAt               *time.Time
}

// create checks every field (a missing one as empty; active stays as it is unless given).
func (s scope) create(c *checker, f ScopeFields, now time.Time) {
	*s.name = c.name("name", deref(f.Name))
	*s.slug = c.slug(deref(f.Slug))
	*s.description = c.description(deref(f.Description))
	s.patch(c, ScopeFields{Active: f.Active}, now)
}

// patch checks and changes the given fields only, and stamps the change.
func (s scope) patch(c *checker, f ScopeFields, now time.Time) {
	if f.Name != nil {
		*s.name = c.name("name", *f.Name)
	}
	if f.Slug != nil {
		*s.slug = c.slug(*f.Slug)
	}
	if f.Description != nil {
		*s.description = c.description(*f.Description)
	}
	if f.Active != nil {
		*s.active = *f.Active
	}
	*s.updatedAt = Stamp(now)
}

// newScoped is NewTenant and NewWorkspace: create on a fresh entity.
func newScoped[E any](e *E, s scope, f ScopeFields, now time.Time) (*E, error) {
	var c checker
	s.create(&c, f, now)
	return e, c.err()
}

// applyScoped is Tenant.Apply and Workspace.Apply: an empty patch is refused.
func applyScoped(s scope, f ScopeFields, now time.Time) error {
	if f == (ScopeFields{}) {
		return emptyPatch()
	}
	var c checker
	s.patch(&c, f, now)
	return c.err()
}
