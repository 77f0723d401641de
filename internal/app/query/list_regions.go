package query

import (
	"context"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// ListRegions pages through the regions in the caller's scope.
type ListRegions struct {
	Filter port.RegionFilter
	Page   port.PageRequest
}

// ListRegionsHandler handles ListRegions.
type ListRegionsHandler struct{ Deps }

func (h ListRegionsHandler) Handle(ctx context.Context, q ListRegions) (port.Page[iam.Region], error) {
	return scoped(ctx, h.Deps, func(s port.Scope) (port.Page[iam.Region], error) {
		auditedList(ctx, s, nil)
		return h.Read.Regions().List(ctx, s, q.Filter, q.Page)
	})
}
