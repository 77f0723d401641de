package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
)

// DeleteOrganization soft-deletes an organization that no live workspace, user, group or
// organization role references.
type DeleteOrganization struct {
	ID uuid.UUID `json:"id"`
}

// DeleteOrganizationHandler handles DeleteOrganization.
type DeleteOrganizationHandler struct{ Deps }

func (h DeleteOrganizationHandler) Handle(ctx context.Context, c DeleteOrganization) (Done, error) {
	return act(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) error {
		repo := tx.Organizations()
		if _, err := repo.Get(ctx, a.Scope(), c.ID); err != nil {
			return err
		}
		audited(ctx, c.ID, c.ID)
		return deleteUnreferenced(ctx, tx, repo, repo.Children, "organization", c.ID, h.Now(), event.OrganizationDeleted{OrganizationID: c.ID})
	})
}
