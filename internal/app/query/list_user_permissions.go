package query

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// ListUserPermissions pages through the permissions granted to a user directly.
type ListUserPermissions struct {
	UserID uuid.UUID `json:"user_id" audit:"id"`
	Page   port.PageRequest
}

// ListUserPermissionsHandler handles ListUserPermissions.
type ListUserPermissionsHandler struct{ Deps }

func (h ListUserPermissionsHandler) Handle(ctx context.Context, q ListUserPermissions) (port.Page[iam.PermissionGrant], error) {
	return scoped(ctx, h.Deps, func(s port.Scope) (port.Page[iam.PermissionGrant], error) {
		v, err := h.Read.Users().Get(ctx, s, q.UserID)
		if err != nil {
			return port.Page[iam.PermissionGrant]{}, err
		}
		audited(ctx, v.ID, v.OrganizationID)
		return h.Read.Users().Permissions(ctx, q.UserID, q.Page)
	})
}
