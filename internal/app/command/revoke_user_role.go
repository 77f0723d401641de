package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
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
	return act(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) error {
		if _, err := targetUser(ctx, a, tx, c.UserID); err != nil {
			return err
		}
		r, err := roleToRevoke(ctx, a, tx, c.RoleID, "role_assignment")
		if err != nil {
			return err
		}
		if err := keepSuperAdministratorIf(ctx, tx, r.IsSuperAdministrator(), func() error {
			return tx.Grants().RevokeRole(ctx, c.UserID, c.RoleID)
		}); err != nil {
			return err
		}
		tx.Emit(event.RoleRevoked{UserID: c.UserID, RoleID: c.RoleID})
		return nil
	})
}
