package query

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// GetUserEffectivePermissions answers every permission a user holds — through roles, group
// roles and direct grants — with every grant that gives it.
type GetUserEffectivePermissions struct {
	UserID uuid.UUID `json:"user_id" audit:"id"`
}

// GetUserEffectivePermissionsHandler handles GetUserEffectivePermissions.
type GetUserEffectivePermissionsHandler struct{ Deps }

func (h GetUserEffectivePermissionsHandler) Handle(ctx context.Context, q GetUserEffectivePermissions) ([]iam.EffectivePermission, error) {
	return within(ctx, h.Deps, h.Read.Users().Get, q.UserID, func(port.Scope) ([]iam.EffectivePermission, error) {
		grants, err := h.Read.Access().EffectivePermissions(ctx, q.UserID)
		if err != nil {
			return nil, err
		}
		return iam.Effective(grants), nil
	})
}
