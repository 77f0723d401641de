package iam

import "time"

// ScopeFields are the settable fields of tenants and workspaces: a name, a slug, a
// description and the active flag. The parent (region, organization) is not among them: it is
// fixed at creation. Organizations (plus a domain), regions (a code in the slug's place) and
// groups (a name and a description only) check and change theirs through them too.
type ScopeFields struct {
	Name, Slug, Description *string
	Active                  *bool
}

// scope points at the named fields of one entity, so that every entity with a name checks
// and changes them by the same rules. key is the unique key (a slug, or a region's code) and
// checkKey its rule; key and active are nil where the entity has none (groups).
type scope struct {
	name, key, description *string
	checkKey               func(c *checker, v string) string
	active                 *bool
	updatedAt              *time.Time
}

// create checks every field (a missing one as empty; active stays as it is unless given).
func (s scope) create(c *checker, f ScopeFields, now time.Time) {
	empty := ""
	s.patch(c, ScopeFields{Name: or(f.Name, &empty), Slug: or(f.Slug, &empty), Description: or(f.Description, &empty),
		Active: f.Active}, now)
}

func or[T any](v, otherwise *T) *T {
	if v == nil {
		return otherwise
	}
	return v
}

// patch checks and changes the given fields only, and stamps the change.
func (s scope) patch(c *checker, f ScopeFields, now time.Time) {
	if f.Name != nil {
		*s.name = c.name("name", *f.Name)
	}
	if f.Slug != nil && s.key != nil {
		*s.key = s.checkKey(c, *f.Slug)
	}
	if f.Description != nil {
		*s.description = c.description(*f.Description)
	}
	if f.Active != nil && s.active != nil {
		*s.active = *f.Active
	}
	*s.updatedAt = Stamp(now)
}

// newScoped builds a fresh entity: create, answering the entity and every problem found.
func newScoped[E any](e *E, s scope, f ScopeFields, now time.Time) (*E, error) {
	var c checker
	s.create(&c, f, now)
	return e, c.err()
}

// applyScoped is Apply of the scoped entities: an empty patch is refused.
func applyScoped(s scope, f ScopeFields, now time.Time) error {
	if f == (ScopeFields{}) {
		return emptyPatch()
	}
	var c checker
	s.patch(&c, f, now)
	return c.err()
}
