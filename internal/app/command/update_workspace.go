package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// UpdateWorkspace changes a workspace's fields.
type UpdateWorkspace struct {
	ID uuid.UUID `json:"id"`
	iam.WorkspaceFields
}

// UpdateWorkspaceHandler handles UpdateWorkspace.
type UpdateWorkspaceHandler struct{ Deps }

func (h UpdateWorkspaceHandler) Handle(ctx context.Context, c UpdateWorkspace) (*iam.Workspace, error) {
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return nil, err
	}
	var w *iam.Workspace
	return result(w, h.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		if w, err = tx.Workspaces().Get(ctx, a.Scope(), c.ID); err != nil {
			return err
		}
		audited(ctx, w.ID, w.OrganizationID)
		if err := w.Apply(c.WorkspaceFields, h.Now()); err != nil {
			return err
		}
		if err := tx.Workspaces().Update(ctx, w); err != nil {
			return err
		}
		tx.Emit(event.WorkspaceUpdated{WorkspaceID: w.ID, Slug: w.Slug, Name: w.Name, Active: w.Active})
		return nil
	}))
}
