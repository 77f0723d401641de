package iam

import (
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/errs"
)

// Group collects users of one organization; roles granted to the group reach every member.
type Group struct {
	ID             uuid.UUID
	Name           string
	Description    string
	OrganizationID uuid.UUID
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// GroupFields are the settable fields of a group.
type GroupFields struct{ Name, Description *string }

// NewGroup validates and builds a group in organization.
func NewGroup(org uuid.UUID, f GroupFields, now time.Time) (*Group, error) {
	g := &Group{ID: NewID(), OrganizationID: org, CreatedAt: Stamp(now), UpdatedAt: Stamp(now)}
	var c checker
	g.Name = c.name("name", deref(f.Name))
	g.Description = c.description(deref(f.Description))
	return g, c.err()
}

// Apply changes the given fields.
func (g *Group) Apply(f GroupFields, now time.Time) error {
	if f == (GroupFields{}) {
		return emptyPatch()
	}
	var c checker
	if f.Name != nil {
		g.Name = c.name("name", *f.Name)
	}
	if f.Description != nil {
		g.Description = c.description(*f.Description)
	}
	g.UpdatedAt = Stamp(now)
	return c.err()
}

// EnsureMember checks a user may join: groups never span organizations.
func (g *Group) EnsureMember(u *User) error {
	if u.OrganizationID != g.OrganizationID {
		return errs.New(errs.KindUnprocessable, CodeGroupOrganizationMismatch,
			"The user belongs to another organization than the group.")
	}
	return nil
}
