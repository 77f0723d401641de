package query

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// GetUser reads one user in the caller's scope.
type GetUser struct {
	ID uuid.UUID `json:"id" audit:"id"`
}

// GetUserHandler handles GetUser.
type GetUserHandler struct{ Deps }

func (h GetUserHandler) Handle(ctx context.Context, q GetUser) (*iam.User, error) {
	return scoped(ctx, h.Deps, func(s port.Scope) (*iam.User, error) {
		v, err := h.Read.Users().Get(ctx, s, q.ID)
		if err != nil {
			return nil, err
		}
		audited(ctx, v.ID, v.OrganizationID)
		return v, nil
	})
}
