package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// UpdateGroup changes a group's name or description.
type UpdateGroup struct {
	ID uuid.UUID `json:"id"`
	iam.GroupFields
}

// UpdateGroupHandler handles UpdateGroup.
type UpdateGroupHandler struct{ Deps }

func (h UpdateGroupHandler) Handle(ctx context.Context, c UpdateGroup) (*iam.Group, error) {
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return nil, err
	}
	var g *iam.Group
	return result(g, h.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		if g, err = tx.Groups().Get(ctx, a.Scope(), c.ID); err != nil {
			return err
		}
		audited(ctx, g.ID, g.OrganizationID)
		if err := g.Apply(c.GroupFields, h.Now()); err != nil {
			return err
		}
		if err := tx.Groups().Update(ctx, g); err != nil {
			return err
		}
		tx.Emit(event.GroupUpdated{GroupID: g.ID, Name: g.Name})
		return nil
	}))
}
