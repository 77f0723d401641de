package query

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// ListGroupRoles pages through the roles granted to a group in the caller's scope.
type ListGroupRoles struct {
	GroupID uuid.UUID `json:"group_id" audit:"id"`
	Page    port.PageRequest
}

// ListGroupRolesHandler handles ListGroupRoles.
type ListGroupRolesHandler struct{ Deps }

func (h ListGroupRolesHandler) Handle(ctx context.Context, q ListGroupRoles) (port.Page[iam.RoleGrant], error) {
	return scoped(ctx, h.Deps, func(s port.Scope) (port.Page[iam.RoleGrant], error) {
		v, err := h.Read.Groups().Get(ctx, s, q.GroupID)
		if err != nil {
			return port.Page[iam.RoleGrant]{}, err
		}
		audited(ctx, v.ID, v.OrganizationID)
		return h.Read.Groups().Roles(ctx, q.GroupID, q.Page)
	})
}
