package principal

import "sort"

// Restriction narrows what one credential may do to a subset of its owner's permissions: an
// OAuth2 scope, an API key's permission list. It never widens: a permission the owner does not
// hold stays out of reach whatever the credential names, and revoking the owner's grant narrows
// every credential at once. The zero value restricts nothing (a password session).
type Restriction struct {
	names map[string]struct{}
}

// Restrict narrows to names; an empty list narrows to nothing at all.
func Restrict(names []string) Restriction {
	s := make(map[string]struct{}, len(names))
	for _, n := range names {
		s[n] = struct{}{}
	}
	return Restriction{names: s}
}

// Narrowed reports whether the credential is narrower than its owner.
func (r Restriction) Narrowed() bool { return r.names != nil }

// Allows reports whether the credential may use permission (if its owner holds it).
func (r Restriction) Allows(permission string) bool {
	if r.names == nil {
		return true
	}
	_, ok := r.names[permission]
	return ok
}

// Names lists the permissions the credential is narrowed to, sorted; nil when not narrowed.
func (r Restriction) Names() []string {
	if r.names == nil {
		return nil
	}
	out := make([]string, 0, len(r.names))
	for n := range r.names {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Covers reports whether every permission other allows is allowed by r: a narrowed caller may
// only mint credentials inside its own restriction.
func (r Restriction) Covers(other Restriction) bool {
	if r.names == nil {
		return true
	}
	if other.names == nil {
		return false
	}
	for n := range other.names {
		if _, ok := r.names[n]; !ok {
			return false
		}
	}
	return true
}
