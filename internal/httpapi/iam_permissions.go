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
	p, err := a.app.Commands.CreatePermission.Handle(ctx, command.CreatePermission{Resource: req.Resource, Action: req.Action,
		Description: optString(req.Description)})
	return respond(p, err, permissionOut)
}

// GetPermission implements getPermission.
func (a *IAMAPI) GetPermission(ctx context.Context, p oas.GetPermissionParams) (*oas.Permission, error) {
	v, err := a.app.Queries.GetPermission.Handle(ctx, query.GetPermission{ID: p.ID})
	return respond(v, err, permissionOut)
}

// ListPermissions implements listPermissions.
func (a *IAMAPI) ListPermissions(ctx context.Context, p oas.ListPermissionsParams) (*oas.PermissionList, error) {
	page, err := a.app.Queries.ListPermissions.Handle(ctx, query.ListPermissions{
		Filter: port.PermissionFilter{Q: p.Q.Or(""), Resource: p.Resource.Or(""), Action: p.Action.Or(""), System: optBool(p.System)},
		Page:   pageOf(p.Limit, p.Offset, p.Cursor, sortByName(p.Sort)),
	})
	if err != nil {
		return nil, err
	}
	return &oas.PermissionList{Items: listOf(page.Items, permissionOut), NextCursor: nextCursor(page.NextCursor), Total: page.Total}, nil
}

// UpdatePermission implements updatePermission.
func (a *IAMAPI) UpdatePermission(ctx context.Context, req *oas.PermissionUpdate, p oas.UpdatePermissionParams) (*oas.Permission, error) {
	v, err := a.app.Commands.UpdatePermission.Handle(ctx, command.UpdatePermission{ID: p.ID, Description: req.Description})
	return respond(v, err, permissionOut)
}

// DeletePermission implements deletePermission.
func (a *IAMAPI) DeletePermission(ctx context.Context, p oas.DeletePermissionParams) error {
	_, err := a.app.Commands.DeletePermission.Handle(ctx, command.DeletePermission{ID: p.ID})
	return err
}
