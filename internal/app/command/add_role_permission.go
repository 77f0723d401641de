package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// AddRolePermission puts a permission into a custom role. Like a direct grant, the caller must
// hold the permission (otherwise a role would be a way around the escalation rule) and
// everything the role's holders hold, since it changes all of them.
type AddRolePermission struct {
	RoleID       uuid.UUID `json:"role_id"`
	PermissionID uuid.UUID `json:"permission_id"`
}

// AddRolePermissionHandler handles AddRolePermission.
type AddRolePermissionHandler struct{ Deps }

func (h AddRolePermissionHandler) Handle(ctx context.Context, c AddRolePermission) (*iam.PermissionGrant, error) {
	return change(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) (*iam.PermissionGrant, error) {
		r, err := targetRole(ctx, a, tx, c.RoleID)
		if err != nil {
			return nil, err
		}
		p, err := permissionToGrant(ctx, a, tx, c.PermissionID)
		if err != nil {
			return nil, err
		}
		if err := checkHolders(ctx, a, tx, r); err != nil {
			return nil, err
		}
		as := a.Assignment(port.Assignment{At: h.Now()})
		if err := tx.Grants().AddRolePermission(ctx, c.RoleID, c.PermissionID, as); err != nil {
			return nil, err
		}
		tx.Emit(event.RolePermissionAdded{RoleID: c.RoleID, PermissionID: p.ID, Permission: p.Name})
		return &iam.PermissionGrant{Permission: *p, AssignedAt: iam.Stamp(as.At), AssignedBy: as.By}, nil
	})
}
