package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
)

// AddGroupMember puts a user of the group's organization into the group; the user inherits
// the group's roles.
type AddGroupMember struct {
	GroupID uuid.UUID `json:"group_id"`
	UserID  uuid.UUID `json:"user_id"`
}

// AddGroupMemberHandler handles AddGroupMember.
type AddGroupMemberHandler struct{ Deps }

func (h AddGroupMemberHandler) Handle(ctx context.Context, c AddGroupMember) (Done, error) {
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return Done{}, err
	}
	return Done{}, h.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		g, err := tx.Groups().Get(ctx, a.Scope(), c.GroupID)
		if err != nil {
			return err
		}
		audited(ctx, g.ID, g.OrganizationID)
		u, err := tx.Users().Get(ctx, a.Scope(), c.UserID)
		if err != nil {
			return refErr(err, "user_id", "user")
		}
		if err := g.EnsureMember(u); err != nil {
			return err
		}
		// Joining a group grants its roles: the tier rule applies as if they were assigned.
		if err := checkGroupRoleTiers(ctx, a, tx, g.ID); err != nil {
			return err
		}
		if err := tx.Grants().AddMember(ctx, c.GroupID, c.UserID, a.Assignment(port.Assignment{At: h.Now()})); err != nil {
			return err
		}
		tx.Emit(event.UserAddedToGroup{GroupID: c.GroupID, UserID: c.UserID})
		return nil
	})
}
