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
	g := &Group{ID: NewID(), OrganizationID: org, CreatedAt: Stamp(now)}
	return newScoped(g, g.scope(), ScopeFields{Name: f.Name, Description: f.Description}, now)
}

// Apply changes the given fields.
func (g *Group) Apply(f GroupFields, now time.Time) error {
	return applyScoped(g.scope(), ScopeFields{Name: f.Name, Description: f.Description}, now)
}

// scope: a group has neither a unique key nor an active flag.
func (g *Group) scope() scope {
	return scope{name: &g.Name, description: &g.Description, updatedAt: &g.UpdatedAt}
}

// EnsureMember checks a user may join: groups never span organizations.
func (g *Group) EnsureMember(u *User) error {
	if u.OrganizationID != g.OrganizationID {
		return errs.New(errs.KindUnprocessable, CodeGroupOrganizationMismatch,
			"The user belongs to another organization than the group.")
	}
	return nil
}
