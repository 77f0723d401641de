package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
)

// DeleteGroup soft-deletes a group. This is the one documented cascade: the group's
// memberships and role grants end with it (members lose what the group gave them), unless
// that would leave no active super administrator.
type DeleteGroup struct {
	ID uuid.UUID `json:"id"`
}

// DeleteGroupHandler handles DeleteGroup.
type DeleteGroupHandler struct{ Deps }

func (h DeleteGroupHandler) Handle(ctx context.Context, c DeleteGroup) (Done, error) {
	return act(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) error {
		g, err := targetGroup(ctx, a, tx, c.ID)
		if err != nil {
			return err
		}
		// Ending the group takes its roles from every member: the rules of leaving apply to
		// each of them.
		if err := checkGroupRoles(ctx, a, tx, g, "end"); err != nil {
			return err
		}
		if err := checkMembers(ctx, a, tx, g); err != nil {
			return err
		}
		return keepSuperAdministrator(ctx, tx, func() error {
			members, roles, err := tx.Groups().Delete(ctx, c.ID, h.Now())
			if err != nil {
				return err
			}
			tx.Emit(event.GroupDeleted{GroupID: c.ID, MemberIDs: members, RoleIDs: roles})
			return nil
		})
	})
}
