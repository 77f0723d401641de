package query

import (
	"context"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// ListPermissions pages through the permission catalog.
type ListPermissions struct {
	Filter port.PermissionFilter
	Page   port.PageRequest
}

// ListPermissionsHandler handles ListPermissions.
type ListPermissionsHandler struct{ Deps }

func (h ListPermissionsHandler) Handle(ctx context.Context, q ListPermissions) (port.Page[iam.Permission], error) {
	return scoped(ctx, h.Deps, func(s port.Scope) (port.Page[iam.Permission], error) {
		auditedList(ctx, s, nil)
		return h.Read.Permissions().List(ctx, q.Filter, q.Page)
	})
}
