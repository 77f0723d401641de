package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
)

// DeleteRole soft-deletes a custom role that no live user or group holds (revoke it first, so
// nobody loses permissions as a side effect).
type DeleteRole struct {
	ID uuid.UUID `json:"id"`
}

// DeleteRoleHandler handles DeleteRole.
type DeleteRoleHandler struct{ Deps }

func (h DeleteRoleHandler) Handle(ctx context.Context, c DeleteRole) (Done, error) {
	return act(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) error {
		if _, err := targetRole(ctx, a, tx, c.ID); err != nil {
			return err
		}
		repo := tx.Roles()
		return deleteUnreferenced(ctx, tx, repo, repo.Holders, "role", c.ID, h.Now(), event.RoleDeleted{RoleID: c.ID})
	})
}
