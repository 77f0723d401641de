package principal

import (
	"slices"
	"testing"
)

func TestRestriction(t *testing.T) {
	t.Parallel()
	none := Restriction{}
	reads := Restrict([]string{"user:read", "role:read"})
	nothing := Restrict(nil)
	cases := []struct {
		name       string
		r          Restriction
		permission string
		narrowed   bool
		allows     bool
		names      []string
	}{
		{"zero value narrows nothing", none, "user:delete", false, true, nil},
		{"listed permission", reads, "user:read", true, true, []string{"role:read", "user:read"}},
		{"unlisted permission", reads, "user:delete", true, false, []string{"role:read", "user:read"}},
		{"empty list allows nothing", nothing, "user:read", true, false, []string{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.r.Narrowed(); got != c.narrowed {
				t.Errorf("Narrowed() = %v, want %v", got, c.narrowed)
			}
			if got := c.r.Allows(c.permission); got != c.allows {
				t.Errorf("Allows(%q) = %v, want %v", c.permission, got, c.allows)
			}
			if got := c.r.Names(); !slices.Equal(got, c.names) || (got == nil) != (c.names == nil) {
				t.Errorf("Names() = %#v, want %#v", got, c.names)
			}
		})
	}
}

func TestRestrictionCovers(t *testing.T) {
	t.Parallel()
	none := Restriction{}
	reads := Restrict([]string{"user:read", "role:read"})
	userRead := Restrict([]string{"user:read"})
	write := Restrict([]string{"user:update"})
	cases := []struct {
		name         string
		minter, mint Restriction
		want         bool
	}{
		{"an unrestricted caller mints anything", none, reads, true},
		{"an unrestricted caller mints an unrestricted credential", none, none, true},
		{"a narrowed caller cannot mint an unrestricted credential", reads, none, false},
		{"a subset is covered", reads, userRead, true},
		{"the same set is covered", reads, reads, true},
		{"a permission outside is not", reads, write, false},
		{"an empty credential is covered by any", userRead, Restrict(nil), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.minter.Covers(c.mint); got != c.want {
				t.Errorf("Covers = %v, want %v", got, c.want)
			}
		})
	}
}
