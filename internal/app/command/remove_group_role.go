package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/errs"
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
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return Done{}, err
	}
	return Done{}, h.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		grp, err := tx.Groups().Get(ctx, a.Scope(), c.GroupID)
		if err != nil {
			return err
		}
		audited(ctx, grp.ID, grp.OrganizationID)
		r, err := tx.Roles().Get(ctx, a.Scope(), c.RoleID)
		if errs.IsKind(err, errs.KindNotFound) {
			return errs.NotFound("group_role")
		}
		if err != nil {
			return err
		}
		if err := checkRole(ctx, a, tx, r, "revoke"); err != nil {
			return err
		}
		if err := checkMembers(ctx, a, tx, grp); err != nil {
			return err
		}
		remove := func() error { return tx.Grants().RemoveGroupRole(ctx, c.GroupID, c.RoleID) }
		if r.IsSuperAdministrator() {
			err = keepSuperAdministrator(ctx, tx, remove)
		} else {
			err = remove()
		}
		if err != nil {
			return err
		}
		tx.Emit(event.GroupRoleRemoved{GroupID: c.GroupID, RoleID: c.RoleID})
		return nil
	})
}
