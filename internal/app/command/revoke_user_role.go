package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/event"
)

// RevokeUserRole takes a directly granted role from a user. Taking a role is refused like
// granting it (tier, everything it carries), the acting-on rule applies, and the last active
// super administrator keeps the role.
type RevokeUserRole struct {
	UserID uuid.UUID `json:"user_id"`
	RoleID uuid.UUID `json:"role_id"`
}

// RevokeUserRoleHandler handles RevokeUserRole.
type RevokeUserRoleHandler struct{ Deps }

func (h RevokeUserRoleHandler) Handle(ctx context.Context, c RevokeUserRole) (Done, error) {
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return Done{}, err
	}
	return Done{}, h.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		u, err := targetUser(ctx, a, tx, c.UserID)
		if err != nil {
			return err
		}
		audited(ctx, u.ID, u.OrganizationID)
		r, err := tx.Roles().Get(ctx, a.Scope(), c.RoleID)
		if errs.IsKind(err, errs.KindNotFound) {
			return errs.NotFound("role_assignment")
		}
		if err != nil {
			return err
		}
		if err := checkRole(ctx, a, tx, r, "revoke"); err != nil {
			return err
		}
		revoke := func() error { return tx.Grants().RevokeRole(ctx, c.UserID, c.RoleID) }
		if r.IsSuperAdministrator() {
			err = keepSuperAdministrator(ctx, tx, revoke)
		} else {
			err = revoke()
		}
		if err != nil {
			return err
		}
		tx.Emit(event.RoleRevoked{UserID: c.UserID, RoleID: c.RoleID})
		return nil
	})
}
