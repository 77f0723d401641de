package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
)

// DeletePermission soft-deletes a custom permission that no live role or user holds.
type DeletePermission struct {
	ID uuid.UUID `json:"id"`
}

// DeletePermissionHandler handles DeletePermission.
type DeletePermissionHandler struct{ Deps }

func (h DeletePermissionHandler) Handle(ctx context.Context, c DeletePermission) (Done, error) {
	return act(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) error {
		p, err := targetPermission(ctx, a, tx, c.ID)
		if err != nil {
			return err
		}
		repo := tx.Permissions()
		return deleteUnreferenced(ctx, tx, repo, repo.Holders, "permission", c.ID, h.Now(), event.PermissionDeleted{PermissionID: c.ID, Name: p.Name})
	})
}
