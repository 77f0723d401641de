package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
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
	return act(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) error {
		w, err := tx.Workspaces().Get(ctx, a.Scope(), c.ID)
		if err != nil {
			return err
		}
		audited(ctx, w.ID, w.OrganizationID)
		return deleted(ctx, tx, tx.Workspaces(), c.ID, h.Now(), event.WorkspaceDeleted{WorkspaceID: c.ID, OrganizationID: w.OrganizationID})
	})
}
