package query

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// GetGroup reads one group in the caller's scope.
type GetGroup struct {
	ID uuid.UUID `json:"id" audit:"id"`
}

// GetGroupHandler handles GetGroup.
type GetGroupHandler struct{ Deps }

func (h GetGroupHandler) Handle(ctx context.Context, q GetGroup) (*iam.Group, error) {
	return scoped(ctx, h.Deps, func(s port.Scope) (*iam.Group, error) {
		v, err := h.Read.Groups().Get(ctx, s, q.ID)
		if err != nil {
			return nil, err
		}
		audited(ctx, v.ID, v.OrganizationID)
		return v, nil
	})
}
