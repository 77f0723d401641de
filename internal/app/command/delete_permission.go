package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// DeletePermission soft-deletes a custom permission that no live role or user holds.
type DeletePermission struct {
	ID uuid.UUID `json:"id"`
}

// DeletePermissionHandler handles DeletePermission.
type DeletePermissionHandler struct{ Deps }

func (h DeletePermissionHandler) Handle(ctx context.Context, c DeletePermission) (Done, error) {
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return Done{}, err
	}
	return Done{}, h.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		repo := tx.Permissions()
		p, err := repo.Get(ctx, c.ID)
		if err != nil {
			return err
		}
		if err := p.EnsureMutable(); err != nil {
			return err
		}
		if err := a.EnsureSuper("the permission catalog"); err != nil {
			return err
		}
		holders, err := repo.Holders(ctx, c.ID)
		if err != nil {
			return err
		}
		if err := iam.CheckNoChildren("permission", holders); err != nil {
			return err
		}
		if err := repo.Delete(ctx, c.ID, h.Now()); err != nil {
			return err
		}
		tx.Emit(event.PermissionDeleted{PermissionID: c.ID, Name: p.Name})
		return nil
	})
}
