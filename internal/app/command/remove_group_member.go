package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
)

// RemoveGroupMember takes a user out of a group (and the roles the group gave them), unless
// that leaves no active super administrator. The caller must hold everything the group's roles
// carry and everything the user holds (acting-on rule).
type RemoveGroupMember struct {
	GroupID uuid.UUID `json:"group_id"`
	UserID  uuid.UUID `json:"user_id"`
}

// RemoveGroupMemberHandler handles RemoveGroupMember.
type RemoveGroupMemberHandler struct{ Deps }

func (h RemoveGroupMemberHandler) Handle(ctx context.Context, c RemoveGroupMember) (Done, error) {
	return act(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) error {
		g, err := targetGroup(ctx, a, tx, c.GroupID)
		if err != nil {
			return err
		}
		if err := a.CheckActsOn(ctx, tx.Access(), c.UserID); err != nil {
			return err
		}
		if err := checkGroupRoles(ctx, a, tx, g, "leave"); err != nil {
			return err
		}
		if err := keepSuperAdministrator(ctx, tx, func() error {
			return tx.Grants().RemoveMember(ctx, c.GroupID, c.UserID)
		}); err != nil {
			return err
		}
		tx.Emit(event.UserRemovedFromGroup{GroupID: c.GroupID, UserID: c.UserID})
		return nil
	})
}
