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

// WorkspaceFields are the settable fields of a workspace (the organization is fixed at creation).
type WorkspaceFields = ScopeFields

// NewWorkspace validates and builds a workspace in organization.
func NewWorkspace(org uuid.UUID, f WorkspaceFields, now time.Time) (*Workspace, error) {
	w := &Workspace{ID: NewID(), OrganizationID: org, Active: true, CreatedAt: Stamp(now)}
	return newScoped(w, w.scope(), f, now)
}

// Apply changes the given fields.
func (w *Workspace) Apply(f WorkspaceFields, now time.Time) error {
	return applyScoped(w.scope(), f, now)
}

func (w *Workspace) scope() scope {
	return scope{name: &w.Name, key: &w.Slug, checkKey: (*checker).slug, description: &w.Description, active: &w.Active, updatedAt: &w.UpdatedAt}
}
