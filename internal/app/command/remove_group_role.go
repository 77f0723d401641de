package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
)

// RemoveGroupRole takes a role from a group (and from what its members inherit). Same rules as
// revoking a role from each member.
type RemoveGroupRole struct {
	GroupID uuid.UUID `json:"group_id"`
	RoleID  uuid.UUID `json:"role_id"`
}

// RemoveGroupRoleHandler handles RemoveGroupRole.
type RemoveGroupRoleHandler struct{ Deps }

func (h RemoveGroupRoleHandler) Handle(ctx context.Context, c RemoveGroupRole) (Done, error) {
	return act(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) error {
		grp, err := targetGroup(ctx, a, tx, c.GroupID)
		if err != nil {
			return err
		}
		r, err := roleToRevoke(ctx, a, tx, c.RoleID, "group_role")
		if err != nil {
			return err
		}
		if err := checkMembers(ctx, a, tx, grp); err != nil {
			return err
		}
		if err := keepSuperAdministratorIf(ctx, tx, r.IsSuperAdministrator(), func() error {
			return tx.Grants().RemoveGroupRole(ctx, c.GroupID, c.RoleID)
		}); err != nil {
			return err
		}
		tx.Emit(event.GroupRoleRemoved{GroupID: c.GroupID, RoleID: c.RoleID})
		return nil
	})
}
