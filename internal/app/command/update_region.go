package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// UpdateRegion changes a region's fields (super administrators only; others may at most see
// their own region).
type UpdateRegion struct {
	ID uuid.UUID `json:"id"`
	iam.RegionFields
}

// UpdateRegionHandler handles UpdateRegion.
type UpdateRegionHandler struct{ Deps }

func (h UpdateRegionHandler) Handle(ctx context.Context, c UpdateRegion) (*iam.Region, error) {
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return nil, err
	}
	var r *iam.Region
	return result(r, h.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		if r, err = tx.Regions().Get(ctx, a.Scope(), c.ID); err != nil {
			return err
		}
		if err := a.EnsureSuper("regions"); err != nil {
			return err
		}
		if err := iam.CheckNotDeactivatingOwn("region", r.ID == a.RegionID, c.Active); err != nil {
			return err
		}
		if err := r.Apply(c.RegionFields, h.Now()); err != nil {
			return err
		}
		if err := tx.Regions().Update(ctx, r); err != nil {
			return err
		}
		tx.Emit(event.RegionUpdated{RegionID: r.ID, Code: r.Code, Name: r.Name, Active: r.Active})
		return nil
	}))
}
