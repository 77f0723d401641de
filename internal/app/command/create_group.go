package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// CreateGroup adds a group to a live organization in the caller's scope.
type CreateGroup struct {
	OrganizationID uuid.UUID `json:"organization_id"`
	iam.GroupFields
}

// CreateGroupHandler handles CreateGroup.
type CreateGroupHandler struct{ Deps }

func (h CreateGroupHandler) Handle(ctx context.Context, c CreateGroup) (*iam.Group, error) {
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return nil, err
	}
	g, err := iam.NewGroup(c.OrganizationID, c.GroupFields, h.Now())
	if err != nil {
		return nil, err
	}
	return result(g, h.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		if _, err := tx.Organizations().Get(ctx, a.Scope(), c.OrganizationID); err != nil {
			return refErr(err, "organization_id", "organization")
		}
		audited(ctx, g.ID, g.OrganizationID)
		if err := tx.Groups().Create(ctx, g); err != nil {
			return err
		}
		tx.Emit(event.GroupCreated{GroupID: g.ID, OrganizationID: g.OrganizationID, Name: g.Name})
		return nil
	}))
}
