package iam

import (
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/rbac"
)

// Permission is one `resource:action` capability.
type Permission struct {
	ID          uuid.UUID
	Name        string
	Resource    string
	Action      string
	Description string
	System      bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// NewPermission validates and builds a custom permission named resource:action.
func NewPermission(resource, action string, description *string, now time.Time) (*Permission, error) {
	p := &Permission{ID: NewID(), CreatedAt: Stamp(now), UpdatedAt: Stamp(now)}
	var c checker
	p.Resource = c.pattern("resource", resource, permPartPattern, "1-50 lower-case letters, digits or dashes, starting with a letter")
	p.Action = c.pattern("action", action, permPartPattern, "1-50 lower-case letters, digits or dashes, starting with a letter")
	p.Description = c.description(deref(description))
	p.Name = rbac.PermissionName(p.Resource, p.Action)
	return p, c.err()
}

// Describe changes the description, the only mutable field (the name is what grants and
// the contract's x-permission refer to).
func (p *Permission) Describe(description string, now time.Time) error {
	if err := p.EnsureMutable(); err != nil {
		return err
	}
	var c checker
	p.Description = c.description(description)
	p.UpdatedAt = Stamp(now)
	return c.err()
}

// EnsureMutable refuses changes to the seeded catalog.
func (p *Permission) EnsureMutable() error {
	if p.System {
		return errs.New(errs.KindConflict, CodeSystemPermissionImmutable, "System permission "+p.Name+" cannot be changed or deleted.")
	}
	return nil
}
