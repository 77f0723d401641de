package query

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// GetWorkspace reads one workspace in the caller's scope.
type GetWorkspace struct {
	ID uuid.UUID `json:"id" audit:"id"`
}

// GetWorkspaceHandler handles GetWorkspace.
type GetWorkspaceHandler struct{ Deps }

func (h GetWorkspaceHandler) Handle(ctx context.Context, q GetWorkspace) (*iam.Workspace, error) {
	return scoped(ctx, h.Deps, func(s port.Scope) (*iam.Workspace, error) {
		v, err := h.Read.Workspaces().Get(ctx, s, q.ID)
		if err != nil {
			return nil, err
		}
		audited(ctx, v.ID, v.OrganizationID)
		return v, nil
	})
}
