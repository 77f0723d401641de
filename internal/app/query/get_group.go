package query

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// GetGroup reads one group in the caller's scope.
type GetGroup struct {
	ID uuid.UUID `json:"id"`
}

// GetGroupHandler handles GetGroup.
type GetGroupHandler struct{ Deps }

func (h GetGroupHandler) Handle(ctx context.Context, q GetGroup) (*iam.Group, error) {
	return scoped(ctx, h.Deps, func(s port.Scope) (*iam.Group, error) {
		return h.Read.Groups().Get(ctx, s, q.ID)
	})
}
