package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
)

// RemoveRolePermission takes a permission out of a custom role. The caller must hold the
// permission and everything the role's holders hold, since it changes all of them.
type RemoveRolePermission struct {
	RoleID       uuid.UUID `json:"role_id"`
	PermissionID uuid.UUID `json:"permission_id"`
}

// RemoveRolePermissionHandler handles RemoveRolePermission.
type RemoveRolePermissionHandler struct{ Deps }

func (h RemoveRolePermissionHandler) Handle(ctx context.Context, c RemoveRolePermission) (Done, error) {
	return act(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) error {
		r, err := targetRole(ctx, a, tx, c.RoleID)
		if err != nil {
			return err
		}
		p, err := permissionToRevoke(ctx, a, tx, c.PermissionID, "role_permission", "remove")
		if err != nil {
			return err
		}
		if err := checkHolders(ctx, a, tx, r); err != nil {
			return err
		}
		if err := tx.Grants().RemoveRolePermission(ctx, c.RoleID, c.PermissionID); err != nil {
			return err
		}
		tx.Emit(event.RolePermissionRemoved{RoleID: c.RoleID, PermissionID: p.ID, Permission: p.Name})
		return nil
	})
}
