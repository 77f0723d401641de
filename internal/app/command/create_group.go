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
	return inTx(ctx, h.Deps, func(ctx context.Context, tx port.Tx) (*iam.Group, error) {
		if err := inOrganization(ctx, a, tx, c.OrganizationID, g.ID); err != nil {
			return nil, err
		}
		return created(ctx, tx, tx.Groups(), g, event.GroupCreated{GroupID: g.ID, OrganizationID: g.OrganizationID, Name: g.Name})
	})
}
