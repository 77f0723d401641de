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
	w, err := a.app.Commands.CreateWorkspace.Handle(ctx, command.CreateWorkspace{OrganizationID: req.OrganizationID,
		WorkspaceFields: iam.WorkspaceFields{Name: &req.Name, Slug: &slug, Description: optString(req.Description), Active: optBool(req.Active)}})
	return respond(w, err, workspaceOut)
}

// GetWorkspace implements getWorkspace.
func (a *IAMAPI) GetWorkspace(ctx context.Context, p oas.GetWorkspaceParams) (*oas.Workspace, error) {
	w, err := a.app.Queries.GetWorkspace.Handle(ctx, query.GetWorkspace{ID: p.ID})
	return respond(w, err, workspaceOut)
}

// ListWorkspaces implements listWorkspaces.
func (a *IAMAPI) ListWorkspaces(ctx context.Context, p oas.ListWorkspacesParams) (*oas.WorkspaceList, error) {
	page, err := a.app.Queries.ListWorkspaces.Handle(ctx, query.ListWorkspaces{
		Filter: port.WorkspaceFilter{Q: p.Q.Or(""), Active: optBool(p.Active), OrganizationID: optUUIDPtr(p.OrganizationID)},
		Page:   pageOf(p.Limit, p.Offset, p.Cursor, sortByName(p.Sort)),
	})
	if err != nil {
		return nil, err
	}
	return &oas.WorkspaceList{Items: listOf(page.Items, workspaceOut), NextCursor: nextCursor(page.NextCursor), Total: page.Total}, nil
}

// UpdateWorkspace implements updateWorkspace.
func (a *IAMAPI) UpdateWorkspace(ctx context.Context, req *oas.WorkspaceUpdate, p oas.UpdateWorkspaceParams) (*oas.Workspace, error) {
	w, err := a.app.Commands.UpdateWorkspace.Handle(ctx, command.UpdateWorkspace{ID: p.ID, WorkspaceFields: iam.WorkspaceFields{
		Name: optString(req.Name), Slug: optSlug(req.Slug), Description: optString(req.Description), Active: optBool(req.Active)}})
	return respond(w, err, workspaceOut)
}

// DeleteWorkspace implements deleteWorkspace.
func (a *IAMAPI) DeleteWorkspace(ctx context.Context, p oas.DeleteWorkspaceParams) error {
	_, err := a.app.Commands.DeleteWorkspace.Handle(ctx, command.DeleteWorkspace{ID: p.ID})
	return err
}
