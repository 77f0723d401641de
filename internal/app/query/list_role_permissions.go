package query

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// ListRolePermissions pages through the permissions in a role the caller can see.
type ListRolePermissions struct {
	RoleID uuid.UUID `json:"role_id" audit:"id"`
	Page   port.PageRequest
}

// ListRolePermissionsHandler handles ListRolePermissions.
type ListRolePermissionsHandler struct{ Deps }

func (h ListRolePermissionsHandler) Handle(ctx context.Context, q ListRolePermissions) (port.Page[iam.PermissionGrant], error) {
	return scoped(ctx, h.Deps, func(s port.Scope) (port.Page[iam.PermissionGrant], error) {
		v, err := h.Read.Roles().Get(ctx, s, q.RoleID)
		if err != nil {
			return port.Page[iam.PermissionGrant]{}, err
		}
		audited(ctx, v.ID, v.Scope.Organization())
		return h.Read.Roles().Permissions(ctx, q.RoleID, q.Page)
	})
}
