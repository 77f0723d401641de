package command

import (
	"context"

	"github.com/google/uuid"

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
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return nil, err
	}
	var g *iam.PermissionGrant
	return result(g, h.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		u, err := targetUser(ctx, a, tx, c.UserID)
		if err != nil {
			return err
		}
		audited(ctx, u.ID, u.OrganizationID)
		p, err := tx.Permissions().Get(ctx, c.PermissionID)
		if err != nil {
			return refErr(err, "permission_id", "permission")
		}
		if err := a.CheckHolds(ctx, p.Name); err != nil {
			return err
		}
		as := a.Assignment(port.Assignment{At: h.Now()})
		if err := tx.Grants().GrantPermission(ctx, c.UserID, c.PermissionID, as); err != nil {
			return err
		}
		g = &iam.PermissionGrant{Permission: *p, AssignedAt: iam.Stamp(as.At), AssignedBy: as.By}
		tx.Emit(event.PermissionDirectlyAssigned{UserID: c.UserID, PermissionID: p.ID, Permission: p.Name, AssignedBy: as.By})
		return nil
	}))
}
