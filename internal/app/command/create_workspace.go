package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// CreateWorkspace adds a workspace to a live organization in the caller's scope.
type CreateWorkspace struct {
	OrganizationID uuid.UUID `json:"organization_id"`
	iam.WorkspaceFields
}

// CreateWorkspaceHandler handles CreateWorkspace.
type CreateWorkspaceHandler struct{ Deps }

func (h CreateWorkspaceHandler) Handle(ctx context.Context, c CreateWorkspace) (*iam.Workspace, error) {
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return nil, err
	}
	w, err := iam.NewWorkspace(c.OrganizationID, c.WorkspaceFields, h.Now())
	if err != nil {
		return nil, err
	}
	return inTx(ctx, h.Deps, func(ctx context.Context, tx port.Tx) (*iam.Workspace, error) {
		if err := inOrganization(ctx, a, tx, c.OrganizationID, w.ID); err != nil {
			return nil, err
		}
		return created(ctx, tx, tx.Workspaces(), w, event.WorkspaceCreated{WorkspaceID: w.ID, OrganizationID: w.OrganizationID, Slug: w.Slug, Name: w.Name})
	})
}
