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
	r, err := a.app.Commands.CreateRegion.Handle(ctx, command.CreateRegion{Name: req.Name, Code: req.Code,
		Description: optString(req.Description), Active: optBool(req.Active)})
	return respond(r, err, regionOut)
}

// GetRegion implements getRegion.
func (a *IAMAPI) GetRegion(ctx context.Context, p oas.GetRegionParams) (*oas.Region, error) {
	r, err := a.app.Queries.GetRegion.Handle(ctx, query.GetRegion{ID: p.ID})
	return respond(r, err, regionOut)
}

// ListRegions implements listRegions.
func (a *IAMAPI) ListRegions(ctx context.Context, p oas.ListRegionsParams) (*oas.RegionList, error) {
	page, err := a.app.Queries.ListRegions.Handle(ctx, query.ListRegions{
		Filter: port.RegionFilter{Q: p.Q.Or(""), Active: optBool(p.Active)},
		Page:   pageOf(p.Limit, p.Offset, p.Cursor, sortByName(p.Sort)),
	})
	if err != nil {
		return nil, err
	}
	return &oas.RegionList{Items: listOf(page.Items, regionOut), NextCursor: nextCursor(page.NextCursor), Total: page.Total}, nil
}

// UpdateRegion implements updateRegion.
func (a *IAMAPI) UpdateRegion(ctx context.Context, req *oas.RegionUpdate, p oas.UpdateRegionParams) (*oas.Region, error) {
	r, err := a.app.Commands.UpdateRegion.Handle(ctx, command.UpdateRegion{ID: p.ID, RegionFields: iam.RegionFields{
		Name: optString(req.Name), Code: optString(req.Code), Description: optString(req.Description), Active: optBool(req.Active)}})
	return respond(r, err, regionOut)
}

// DeleteRegion implements deleteRegion.
func (a *IAMAPI) DeleteRegion(ctx context.Context, p oas.DeleteRegionParams) error {
	_, err := a.app.Commands.DeleteRegion.Handle(ctx, command.DeleteRegion{ID: p.ID})
	return err
}
