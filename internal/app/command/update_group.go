package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
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
	return change(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) (*iam.Group, error) {
		g, err := targetGroup(ctx, a, tx, c.ID)
		if err != nil {
			return nil, err
		}
		if err := g.Apply(c.GroupFields, h.Now()); err != nil {
			return nil, err
		}
		return updated(ctx, tx, tx.Groups(), g, event.GroupUpdated{GroupID: g.ID, Name: g.Name})
	})
}
