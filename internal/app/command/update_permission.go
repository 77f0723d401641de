package command

import (
	"context"

	"github.com/google/uuid"

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
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return nil, err
	}
	var p *iam.Permission
	return result(p, h.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		if p, err = tx.Permissions().Get(ctx, c.ID); err != nil {
			return err
		}
		if err := p.EnsureMutable(); err != nil {
			return err
		}
		if err := a.EnsureSuper("the permission catalog"); err != nil {
			return err
		}
		if err := p.Describe(c.Description, h.Now()); err != nil {
			return err
		}
		if err := tx.Permissions().Update(ctx, p); err != nil {
			return err
		}
		tx.Emit(event.PermissionUpdated{PermissionID: p.ID, Name: p.Name})
		return nil
	}))
}
