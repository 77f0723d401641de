package query

import (
	"context"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// ListWorkspaces pages through the workspaces in the caller's scope.
type ListWorkspaces struct {
	Filter port.WorkspaceFilter
	Page   port.PageRequest
}

// ListWorkspacesHandler handles ListWorkspaces.
type ListWorkspacesHandler struct{ Deps }

func (h ListWorkspacesHandler) Handle(ctx context.Context, q ListWorkspaces) (port.Page[iam.Workspace], error) {
	return scoped(ctx, h.Deps, func(s port.Scope) (port.Page[iam.Workspace], error) {
		auditedList(ctx, s, q.Filter.OrganizationID)
		return h.Read.Workspaces().List(ctx, s, q.Filter, q.Page)
	})
}
