package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
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
	return change(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) (*iam.Region, error) {
		r, err := tx.Regions().Get(ctx, a.Scope(), c.ID)
		if err != nil {
			return nil, err
		}
		if err := a.EnsureSuper("regions"); err != nil {
			return nil, err
		}
		if err := iam.CheckNotDeactivatingOwn("region", r.ID == a.RegionID, c.Active); err != nil {
			return nil, err
		}
		if err := r.Apply(c.RegionFields, h.Now()); err != nil {
			return nil, err
		}
		return updated(ctx, tx, tx.Regions(), r, event.RegionUpdated{RegionID: r.ID, Code: r.Code, Name: r.Name, Active: r.Active})
	})
}
