package command

import (
	"context"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// CreateRegion adds a region. Regions sit above every organization, so only super
// administrators create them.
type CreateRegion struct {
	Name        string  `json:"name"`
	Code        string  `json:"code"`
	Description *string `json:"description,omitempty"`
	Active      *bool   `json:"active,omitempty"`
}

// CreateRegionHandler handles CreateRegion.
type CreateRegionHandler struct{ Deps }

func (h CreateRegionHandler) Handle(ctx context.Context, c CreateRegion) (*iam.Region, error) {
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return nil, err
	}
	if err := a.EnsureSuper("regions"); err != nil {
		return nil, err
	}
	r, err := iam.NewRegion(iam.RegionFields{Name: &c.Name, Code: &c.Code, Description: c.Description, Active: c.Active}, h.Now())
	if err != nil {
		return nil, err
	}
	return inTx(ctx, h.Deps, func(ctx context.Context, tx port.Tx) (*iam.Region, error) {
		return created(ctx, tx, tx.Regions(), r, event.RegionCreated{RegionID: r.ID, Code: r.Code, Name: r.Name})
	})
}
