package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
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
	return change(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) (*iam.Workspace, error) {
		w, err := tx.Workspaces().Get(ctx, a.Scope(), c.ID)
		if err != nil {
			return nil, err
		}
		audited(ctx, w.ID, w.OrganizationID)
		if err := w.Apply(c.WorkspaceFields, h.Now()); err != nil {
			return nil, err
		}
		return updated(ctx, tx, tx.Workspaces(), w, event.WorkspaceUpdated{WorkspaceID: w.ID, Slug: w.Slug, Name: w.Name, Active: w.Active})
	})
}
