package httpapi

import (
	"context"

	"github.com/telemetryflow/core/internal/app/command"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/app/query"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/oas"
)

// CreateWorkspace implements createWorkspace.
func (a *IAMAPI) CreateWorkspace(ctx context.Context, req *oas.WorkspaceCreate) (*oas.Workspace, error) {
	slug := string(req.Slug)
	return call(ctx, a.commands.CreateWorkspace, command.CreateWorkspace{OrganizationID: req.OrganizationID,
		WorkspaceFields: iam.WorkspaceFields{Name: &req.Name, Slug: &slug, Description: optString(req.Description), Active: optBool(req.Active)}}, workspaceOut)
}

// GetWorkspace implements getWorkspace.
func (a *IAMAPI) GetWorkspace(ctx context.Context, p oas.GetWorkspaceParams) (*oas.Workspace, error) {
	return call(ctx, a.queries.GetWorkspace, query.GetWorkspace{ID: p.ID}, workspaceOut)
}

// ListWorkspaces implements listWorkspaces.
func (a *IAMAPI) ListWorkspaces(ctx context.Context, p oas.ListWorkspacesParams) (*oas.WorkspaceList, error) {
	return page[oas.WorkspaceList](ctx, a.queries.ListWorkspaces, query.ListWorkspaces{
		Filter: port.WorkspaceFilter{Q: p.Q.Or(""), Active: optBool(p.Active), OrganizationID: optUUIDPtr(p.OrganizationID)},
		Page:   pageOf(p.Limit, p.Offset, p.Cursor, sortByName(p.Sort)),
	}, workspaceOut)
}

// UpdateWorkspace implements updateWorkspace.
func (a *IAMAPI) UpdateWorkspace(ctx context.Context, req *oas.WorkspaceUpdate, p oas.UpdateWorkspaceParams) (*oas.Workspace, error) {
	return call(ctx, a.commands.UpdateWorkspace, command.UpdateWorkspace{ID: p.ID, WorkspaceFields: iam.WorkspaceFields{
		Name: optString(req.Name), Slug: optSlug(req.Slug), Description: optString(req.Description), Active: optBool(req.Active)}}, workspaceOut)
}

// DeleteWorkspace implements deleteWorkspace.
func (a *IAMAPI) DeleteWorkspace(ctx context.Context, p oas.DeleteWorkspaceParams) error {
	return exec(ctx, a.commands.DeleteWorkspace, command.DeleteWorkspace{ID: p.ID})
}
