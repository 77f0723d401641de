package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// DeleteRole soft-deletes a custom role that no live user or group holds (revoke it first, so
// nobody loses permissions as a side effect).
type DeleteRole struct {
	ID uuid.UUID `json:"id"`
}

// DeleteRoleHandler handles DeleteRole.
type DeleteRoleHandler struct{ Deps }

func (h DeleteRoleHandler) Handle(ctx context.Context, c DeleteRole) (Done, error) {
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return Done{}, err
	}
	return Done{}, h.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		if _, err := targetRole(ctx, a, tx, c.ID); err != nil {
			return err
		}
		holders, err := tx.Roles().Holders(ctx, c.ID)
		if err != nil {
			return err
		}
		if err := iam.CheckNoChildren("role", holders); err != nil {
			return err
		}
		if err := tx.Roles().Delete(ctx, c.ID, h.Now()); err != nil {
			return err
		}
		tx.Emit(event.RoleDeleted{RoleID: c.ID})
		return nil
	})
}
