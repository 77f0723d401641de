package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// DeleteOrganization soft-deletes an organization that no live workspace, user, group or
// organization role references.
type DeleteOrganization struct {
	ID uuid.UUID `json:"id"`
}

// DeleteOrganizationHandler handles DeleteOrganization.
type DeleteOrganizationHandler struct{ Deps }

func (h DeleteOrganizationHandler) Handle(ctx context.Context, c DeleteOrganization) (Done, error) {
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return Done{}, err
	}
	return Done{}, h.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		repo := tx.Organizations()
		if _, err := repo.Get(ctx, a.Scope(), c.ID); err != nil {
			return err
		}
		audited(ctx, c.ID, c.ID)
		children, err := repo.Children(ctx, c.ID)
		if err != nil {
			return err
		}
		if err := iam.CheckNoChildren("organization", children); err != nil {
			return err
		}
		if err := repo.Delete(ctx, c.ID, h.Now()); err != nil {
			return err
		}
		tx.Emit(event.OrganizationDeleted{OrganizationID: c.ID})
		return nil
	})
}
