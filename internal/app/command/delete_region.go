package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// DeleteRegion soft-deletes a region that no live tenant references.
type DeleteRegion struct {
	ID uuid.UUID `json:"id"`
}

// DeleteRegionHandler handles DeleteRegion.
type DeleteRegionHandler struct{ Deps }

func (h DeleteRegionHandler) Handle(ctx context.Context, c DeleteRegion) (Done, error) {
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return Done{}, err
	}
	return Done{}, h.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		repo := tx.Regions()
		if _, err := repo.Get(ctx, a.Scope(), c.ID); err != nil {
			return err
		}
		if err := a.EnsureSuper("regions"); err != nil {
			return err
		}
		children, err := repo.Children(ctx, c.ID)
		if err != nil {
			return err
		}
		if err := iam.CheckNoChildren("region", children); err != nil {
			return err
		}
		if err := repo.Delete(ctx, c.ID, h.Now()); err != nil {
			return err
		}
		tx.Emit(event.RegionDeleted{RegionID: c.ID})
		return nil
	})
}
