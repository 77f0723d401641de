package command

import (
	"context"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// CreatePermission adds a custom `resource:action` to the catalog. The catalog is shared by
// every organization, so only super administrators extend it.
type CreatePermission struct {
	Resource    string  `json:"resource"`
	Action      string  `json:"action"`
	Description *string `json:"description,omitempty"`
}

// CreatePermissionHandler handles CreatePermission.
type CreatePermissionHandler struct{ Deps }

func (h CreatePermissionHandler) Handle(ctx context.Context, c CreatePermission) (*iam.Permission, error) {
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return nil, err
	}
	if err := a.EnsureSuper("the permission catalog"); err != nil {
		return nil, err
	}
	p, err := iam.NewPermission(c.Resource, c.Action, c.Description, h.Now())
	if err != nil {
		return nil, err
	}
	return inTx(ctx, h.Deps, func(ctx context.Context, tx port.Tx) (*iam.Permission, error) {
		return created(ctx, tx, tx.Permissions(), p, event.PermissionCreated{PermissionID: p.ID, Name: p.Name})
	})
}
