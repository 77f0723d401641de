package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// GrantUserPermission grants a permission to a user directly. Nobody grants a permission they
// do not hold themselves, nor to a user holding more than they do (acting-on rule).
type GrantUserPermission struct {
	UserID       uuid.UUID `json:"user_id"`
	PermissionID uuid.UUID `json:"permission_id"`
}

// GrantUserPermissionHandler handles GrantUserPermission.
type GrantUserPermissionHandler struct{ Deps }

func (h GrantUserPermissionHandler) Handle(ctx context.Context, c GrantUserPermission) (*iam.PermissionGrant, error) {
	return change(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) (*iam.PermissionGrant, error) {
		if _, err := targetUser(ctx, a, tx, c.UserID); err != nil {
			return nil, err
		}
		p, err := permissionToGrant(ctx, a, tx, c.PermissionID)
		if err != nil {
			return nil, err
		}
		as := a.Assignment(port.Assignment{At: h.Now()})
		if err := tx.Grants().GrantPermission(ctx, c.UserID, c.PermissionID, as); err != nil {
			return nil, err
		}
		tx.Emit(event.PermissionDirectlyAssigned{UserID: c.UserID, PermissionID: p.ID, Permission: p.Name, AssignedBy: as.By})
		return &iam.PermissionGrant{Permission: *p, AssignedAt: iam.Stamp(as.At), AssignedBy: as.By}, nil
	})
}
