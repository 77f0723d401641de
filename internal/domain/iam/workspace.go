package iam

import (
	"time"

	"github.com/google/uuid"
)

// Workspace is a project space inside an organization.
type Workspace struct {
	ID             uuid.UUID
	Name           string
	Slug           string
	OrganizationID uuid.UUID
	Description    string
	Active         bool
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// WorkspaceFields are the settable fields of a workspace.
type WorkspaceFields struct {
	Name, Slug, Description *string
	Active                  *bool
}

// NewWorkspace validates and builds a workspace in organization.
func NewWorkspace(org uuid.UUID, f WorkspaceFields, now time.Time) (*Workspace, error) {
	w := &Workspace{ID: NewID(), OrganizationID: org, Active: true, CreatedAt: Stamp(now), UpdatedAt: Stamp(now)}
	var c checker
	w.Name = c.name("name", deref(f.Name))
	w.Slug = c.slug(deref(f.Slug))
	w.Description = c.description(deref(f.Description))
	if f.Active != nil {
		w.Active = *f.Active
	}
	return w, c.err()
}

// Apply changes the given fields.
func (w *Workspace) Apply(f WorkspaceFields, now time.Time) error {
	if f == (WorkspaceFields{}) {
		return emptyPatch()
	}
	var c checker
	if f.Name != nil {
		w.Name = c.name("name", *f.Name)
	}
	if f.Slug != nil {
		w.Slug = c.slug(*f.Slug)
	}
	if f.Description != nil {
		w.Description = c.description(*f.Description)
	}
	if f.Active != nil {
		w.Active = *f.Active
	}
	w.UpdatedAt = Stamp(now)
	return c.err()
}
