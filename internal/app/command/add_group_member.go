package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
)

// AddGroupMember puts a user of the group's organization into the group; the user inherits
// the group's roles. The caller must hold everything those roles carry and everything the user
// holds (acting-on rule).
type AddGroupMember struct {
	GroupID uuid.UUID `json:"group_id"`
	UserID  uuid.UUID `json:"user_id"`
}

// AddGroupMemberHandler handles AddGroupMember.
type AddGroupMemberHandler struct{ Deps }

func (h AddGroupMemberHandler) Handle(ctx context.Context, c AddGroupMember) (Done, error) {
	return act(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) error {
		g, err := tx.Groups().Get(ctx, a.Scope(), c.GroupID)
		if err != nil {
			return err
		}
		u, err := targetUser(ctx, a, tx, c.UserID)
		if err != nil {
			return refErr(err, "user_id", "user")
		}
		// The group, not the new member, is what the audit row names.
		audited(ctx, g.ID, g.OrganizationID)
		if err := g.EnsureMember(u); err != nil {
			return err
		}
		// Joining a group grants its roles: the rules apply as if they were assigned.
		if err := checkGroupRoles(ctx, a, tx, g, "join"); err != nil {
			return err
		}
		if err := tx.Grants().AddMember(ctx, c.GroupID, c.UserID, a.Assignment(port.Assignment{At: h.Now()})); err != nil {
			return err
		}
		tx.Emit(event.UserAddedToGroup{GroupID: c.GroupID, UserID: c.UserID})
		return nil
	})
}
