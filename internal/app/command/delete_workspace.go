package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
)

// DeleteWorkspace soft-deletes a workspace (nothing references workspaces).
type DeleteWorkspace struct {
	ID uuid.UUID `json:"id"`
}

// DeleteWorkspaceHandler handles DeleteWorkspace.
type DeleteWorkspaceHandler struct{ Deps }

func (h DeleteWorkspaceHandler) Handle(ctx context.Context, c DeleteWorkspace) (Done, error) {
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return Done{}, err
	}
	return Done{}, h.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		w, err := tx.Workspaces().Get(ctx, a.Scope(), c.ID)
		if err != nil {
			return err
		}
		audited(ctx, w.ID, w.OrganizationID)
		if err := tx.Workspaces().Delete(ctx, c.ID, h.Now()); err != nil {
			return err
		}
		tx.Emit(event.WorkspaceDeleted{WorkspaceID: c.ID, OrganizationID: w.OrganizationID})
		return nil
	})
}
