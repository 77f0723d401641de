package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
)

// DeleteRegion soft-deletes a region that no live tenant references.
type DeleteRegion struct {
	ID uuid.UUID `json:"id"`
}

// DeleteRegionHandler handles DeleteRegion.
type DeleteRegionHandler struct{ Deps }

func (h DeleteRegionHandler) Handle(ctx context.Context, c DeleteRegion) (Done, error) {
	return act(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) error {
		repo := tx.Regions()
		if _, err := repo.Get(ctx, a.Scope(), c.ID); err != nil {
			return err
		}
		if err := a.EnsureSuper("regions"); err != nil {
			return err
		}
		return deleteUnreferenced(ctx, tx, repo, repo.Children, "region", c.ID, h.Now(), event.RegionDeleted{RegionID: c.ID})
	})
}
