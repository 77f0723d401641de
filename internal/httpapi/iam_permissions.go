package httpapi

import (
	"context"

	"github.com/telemetryflow/core/internal/app/command"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/app/query"
	"github.com/telemetryflow/core/oas"
)

// CreatePermission implements createPermission.
func (a *IAMAPI) CreatePermission(ctx context.Context, req *oas.PermissionCreate) (*oas.Permission, error) {
	return call(ctx, a.commands.CreatePermission, command.CreatePermission{Resource: req.Resource, Action: req.Action,
		Description: optString(req.Description)}, permissionOut)
}

// GetPermission implements getPermission.
func (a *IAMAPI) GetPermission(ctx context.Context, p oas.GetPermissionParams) (*oas.Permission, error) {
	return call(ctx, a.queries.GetPermission, query.GetPermission{ID: p.ID}, permissionOut)
}

// ListPermissions implements listPermissions.
func (a *IAMAPI) ListPermissions(ctx context.Context, p oas.ListPermissionsParams) (*oas.PermissionList, error) {
	return page[oas.PermissionList](ctx, a.queries.ListPermissions, query.ListPermissions{
		Filter: port.PermissionFilter{Q: p.Q.Or(""), Resource: p.Resource.Or(""), Action: p.Action.Or(""), System: optBool(p.System)},
		Page:   pageOf(p.Limit, p.Offset, p.Cursor, sortByName(p.Sort)),
	}, permissionOut)
}

// UpdatePermission implements updatePermission.
func (a *IAMAPI) UpdatePermission(ctx context.Context, req *oas.PermissionUpdate, p oas.UpdatePermissionParams) (*oas.Permission, error) {
	return call(ctx, a.commands.UpdatePermission, command.UpdatePermission{ID: p.ID, Description: req.Description}, permissionOut)
}

// DeletePermission implements deletePermission.
func (a *IAMAPI) DeletePermission(ctx context.Context, p oas.DeletePermissionParams) error {
	return exec(ctx, a.commands.DeletePermission, command.DeletePermission{ID: p.ID})
}
