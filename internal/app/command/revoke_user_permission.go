package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/errs"
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
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return Done{}, err
	}
	return Done{}, h.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		u, err := targetUser(ctx, a, tx, c.UserID)
		if err != nil {
			return err
		}
		audited(ctx, u.ID, u.OrganizationID)
		p, err := tx.Permissions().Get(ctx, c.PermissionID)
		if errs.IsKind(err, errs.KindNotFound) {
			return errs.NotFound("permission_grant")
		}
		if err != nil {
			return err
		}
		if err := checkPermission(ctx, a, p, "revoke"); err != nil {
			return err
		}
		if err := tx.Grants().RevokePermission(ctx, c.UserID, c.PermissionID); err != nil {
			return err
		}
		tx.Emit(event.PermissionDirectlyRevoked{UserID: c.UserID, PermissionID: p.ID, Permission: p.Name})
		return nil
	})
}
