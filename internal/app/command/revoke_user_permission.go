package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
)

// RevokeUserPermission takes a direct grant from a user; roles the user holds are untouched.
// The caller must hold the permission and everything the user holds (acting-on rule).
type RevokeUserPermission struct {
	UserID       uuid.UUID `json:"user_id"`
	PermissionID uuid.UUID `json:"permission_id"`
}

// RevokeUserPermissionHandler handles RevokeUserPermission.
type RevokeUserPermissionHandler struct{ Deps }

func (h RevokeUserPermissionHandler) Handle(ctx context.Context, c RevokeUserPermission) (Done, error) {
	return act(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) error {
		if _, err := targetUser(ctx, a, tx, c.UserID); err != nil {
			return err
		}
		p, err := permissionToRevoke(ctx, a, tx, c.PermissionID, "permission_grant", "revoke")
		if err != nil {
			return err
		}
		if err := tx.Grants().RevokePermission(ctx, c.UserID, c.PermissionID); err != nil {
			return err
		}
		tx.Emit(event.PermissionDirectlyRevoked{UserID: c.UserID, PermissionID: p.ID, Permission: p.Name})
		return nil
	})
}
