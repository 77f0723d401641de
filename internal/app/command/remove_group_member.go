package command

import (
	"context"

	"github.com/google/uuid"

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
