package httpapi

import (
	"context"

	"github.com/telemetryflow/core/internal/app/command"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/app/query"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/oas"
)

// CreateRegion implements createRegion.
func (a *IAMAPI) CreateRegion(ctx context.Context, req *oas.RegionCreate) (*oas.Region, error) {
	return call(ctx, a.commands.CreateRegion, command.CreateRegion{Name: req.Name, Code: req.Code,
		Description: optString(req.Description), Active: optBool(req.Active)}, regionOut)
}

// GetRegion implements getRegion.
func (a *IAMAPI) GetRegion(ctx context.Context, p oas.GetRegionParams) (*oas.Region, error) {
	return call(ctx, a.queries.GetRegion, query.GetRegion{ID: p.ID}, regionOut)
}

// ListRegions implements listRegions.
func (a *IAMAPI) ListRegions(ctx context.Context, p oas.ListRegionsParams) (*oas.RegionList, error) {
	return page[oas.RegionList](ctx, a.queries.ListRegions, query.ListRegions{
		Filter: port.RegionFilter{Q: p.Q.Or(""), Active: optBool(p.Active)},
		Page:   pageOf(p.Limit, p.Offset, p.Cursor, sortByName(p.Sort)),
	}, regionOut)
}

// UpdateRegion implements updateRegion.
func (a *IAMAPI) UpdateRegion(ctx context.Context, req *oas.RegionUpdate, p oas.UpdateRegionParams) (*oas.Region, error) {
	return call(ctx, a.commands.UpdateRegion, command.UpdateRegion{ID: p.ID, RegionFields: iam.RegionFields{
		Name: optString(req.Name), Code: optString(req.Code), Description: optString(req.Description), Active: optBool(req.Active)}}, regionOut)
}

// DeleteRegion implements deleteRegion.
func (a *IAMAPI) DeleteRegion(ctx context.Context, p oas.DeleteRegionParams) error {
	return exec(ctx, a.commands.DeleteRegion, command.DeleteRegion{ID: p.ID})
}
