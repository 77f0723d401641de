package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
)

// RevokeAllUserRoles takes every role granted to a user directly, in one transaction: the
// seed's "Revoke All Roles" (HasRole → NoRole). Direct permissions and group memberships stay.
// The rules of revoking one role apply to all of them together (tier, everything they carry,
// acting-on rule, the last active super administrator keeps the role). Each revoked role emits
// its own RoleRevoked, as a single revocation does, so subscribers need nothing new. A user
// without roles is already where the command leads: nothing happens.
type RevokeAllUserRoles struct {
	UserID uuid.UUID `json:"user_id"`
}

// RevokeAllUserRolesHandler handles RevokeAllUserRoles.
type RevokeAllUserRolesHandler struct{ Deps }

func (h RevokeAllUserRolesHandler) Handle(ctx context.Context, c RevokeAllUserRoles) (Done, error) {
	return act(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) error {
		if _, err := targetUser(ctx, a, tx, c.UserID); err != nil {
			return err
		}
		roles, err := directRoles(ctx, tx, c.UserID)
		if err != nil || len(roles) == 0 {
			return err
		}
		carried, err := tx.Access().RolesPower(ctx, roles...)
		if err != nil {
			return err
		}
		if err := a.CheckCovers(ctx, carried, "revoke the user's roles"); err != nil {
			return err
		}
		if err := keepSuperAdministratorIf(ctx, tx, carried.Super, func() error {
			return tx.Grants().RevokeRoles(ctx, c.UserID, roles)
		}); err != nil {
			return err
		}
		for _, id := range roles {
			tx.Emit(event.RoleRevoked{UserID: c.UserID, RoleID: id})
		}
		return nil
	})
}

// directRoles lists the ids of the live roles granted to the user directly.
func directRoles(ctx context.Context, tx port.Tx, userID uuid.UUID) ([]uuid.UUID, error) {
	var out []uuid.UUID
	req := port.PageRequest{Limit: port.MaxLimit}
	for {
		page, err := tx.Users().Roles(ctx, userID, req)
		if err != nil {
			return nil, err
		}
		for _, g := range page.Items {
			out = append(out, g.Role.ID)
		}
		if page.NextCursor == "" {
			return out, nil
		}
		req.Cursor = page.NextCursor
	}
}
