package query

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// ListUserRoles pages through the roles granted to a user directly.
type ListUserRoles struct {
	UserID uuid.UUID `json:"user_id" audit:"id"`
	Page   port.PageRequest
}

// ListUserRolesHandler handles ListUserRoles.
type ListUserRolesHandler struct{ Deps }

func (h ListUserRolesHandler) Handle(ctx context.Context, q ListUserRoles) (port.Page[iam.RoleGrant], error) {
	return scoped(ctx, h.Deps, func(s port.Scope) (port.Page[iam.RoleGrant], error) {
		v, err := h.Read.Users().Get(ctx, s, q.UserID)
		if err != nil {
			return port.Page[iam.RoleGrant]{}, err
		}
		audited(ctx, v.ID, v.OrganizationID)
		return h.Read.Users().Roles(ctx, q.UserID, q.Page)
	})
}
