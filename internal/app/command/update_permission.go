package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// UpdatePermission changes a custom permission's description; system permissions are
// immutable.
type UpdatePermission struct {
	ID          uuid.UUID `json:"id"`
	Description string    `json:"description"`
}

// UpdatePermissionHandler handles UpdatePermission.
type UpdatePermissionHandler struct{ Deps }

func (h UpdatePermissionHandler) Handle(ctx context.Context, c UpdatePermission) (*iam.Permission, error) {
	return change(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) (*iam.Permission, error) {
		p, err := targetPermission(ctx, a, tx, c.ID)
		if err != nil {
			return nil, err
		}
		if err := p.Describe(c.Description, h.Now()); err != nil {
			return nil, err
		}
		return updated(ctx, tx, tx.Permissions(), p, event.PermissionUpdated{PermissionID: p.ID, Name: p.Name})
	})
}
