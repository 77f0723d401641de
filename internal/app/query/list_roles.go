package query

import (
	"context"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// ListRoles pages through the roles in the caller's scope.
type ListRoles struct {
	Filter port.RoleFilter
	Page   port.PageRequest
}

// ListRolesHandler handles ListRoles.
type ListRolesHandler struct{ Deps }

func (h ListRolesHandler) Handle(ctx context.Context, q ListRoles) (port.Page[iam.Role], error) {
	return scoped(ctx, h.Deps, func(s port.Scope) (port.Page[iam.Role], error) {
		auditedList(ctx, s, q.Filter.OrganizationID)
		return h.Read.Roles().List(ctx, s, q.Filter, q.Page)
	})
}
