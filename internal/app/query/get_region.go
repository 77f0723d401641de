package query

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// GetRegion reads one region in the caller's scope.
type GetRegion struct {
	ID uuid.UUID `json:"id" audit:"id"`
}

// GetRegionHandler handles GetRegion.
type GetRegionHandler struct{ Deps }

func (h GetRegionHandler) Handle(ctx context.Context, q GetRegion) (*iam.Region, error) {
	return scoped(ctx, h.Deps, func(s port.Scope) (*iam.Region, error) {
		return h.Read.Regions().Get(ctx, s, q.ID)
	})
}
