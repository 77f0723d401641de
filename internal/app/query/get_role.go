package query

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// GetRole reads one role in the caller's scope.
type GetRole struct {
	ID uuid.UUID `json:"id" audit:"id"`
}

// GetRoleHandler handles GetRole.
type GetRoleHandler struct{ Deps }

func (h GetRoleHandler) Handle(ctx context.Context, q GetRole) (*iam.Role, error) {
	return scoped(ctx, h.Deps, func(s port.Scope) (*iam.Role, error) {
		v, err := h.Read.Roles().Get(ctx, s, q.ID)
		if err != nil {
			return nil, err
		}
		audited(ctx, v.ID, v.Scope.Organization())
		return v, nil
	})
}
