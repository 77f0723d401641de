package store

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/ent/predicate"
	"github.com/telemetryflow/core/ent/workspace"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

type workspaces struct{ repos }

var workspaceUnique = unique{"": "slug", "workspace_organization_id_slug": "slug", "workspaces.slug": "slug"}

var workspaceSorts = byCreatedOrName(func(w *ent.Workspace) time.Time { return w.CreatedAt }, func(w *ent.Workspace) string { return w.Name })

// visible: outside the All scope, the workspaces of the caller's organization.
func (workspaces) visible(s port.Scope) predicate.Workspace {
	return visible[predicate.Workspace](s, workspace.FieldOrganizationID, s.OrganizationID)
}

func (r workspaces) Get(ctx context.Context, s port.Scope, id uuid.UUID) (*iam.Workspace, error) {
	return one(ctx, r.c.Workspace.Query().Where(r.visible(s), workspace.IDEQ(id)), "workspace", toWorkspace)
}

func (r workspaces) List(ctx context.Context, s port.Scope, f port.WorkspaceFilter, p port.PageRequest) (port.Page[iam.Workspace], error) {
	q := r.c.Workspace.Query().Where(r.visible(s))
	if f.Q != "" {
		q = q.Where(workspace.Or(workspace.NameContainsFold(f.Q), workspace.SlugContainsFold(f.Q)))
	}
	if f.Active != nil {
		q = q.Where(workspace.ActiveEQ(*f.Active))
	}
	if f.OrganizationID != nil {
		q = q.Where(workspace.OrganizationIDEQ(*f.OrganizationID))
	}
	return pageOf(ctx, q, p, workspaceSorts, func(e *ent.Workspace) uuid.UUID { return e.ID }, r.list("workspaces", s, f), toWorkspace)
}

func (r workspaces) Create(ctx context.Context, v *iam.Workspace) error {
	err := r.c.Workspace.Create().SetID(v.ID).SetName(v.Name).SetSlug(v.Slug).SetOrganizationID(v.OrganizationID).
		SetDescription(v.Description).SetActive(v.Active).SetCreatedAt(v.CreatedAt).SetUpdatedAt(v.UpdatedAt).Exec(ctx)
	return mapErr(err, "workspace", workspaceUnique)
}

func (r workspaces) Update(ctx context.Context, v *iam.Workspace) error {
	n, err := r.c.Workspace.Update().Where(workspace.IDEQ(v.ID), workspace.DeletedAtIsNil()).SetName(v.Name).
		SetSlug(v.Slug).SetDescription(v.Description).SetActive(v.Active).SetUpdatedAt(v.UpdatedAt).Save(ctx)
	return affected(n, err, "workspace", workspaceUnique)
}

func (r workspaces) Delete(ctx context.Context, id uuid.UUID, at time.Time) error {
	return softDelete(ctx, r.c.Workspace.Update().Where(workspace.IDEQ(id), workspace.DeletedAtIsNil()), at, "workspace")
}

func toWorkspace(e *ent.Workspace) *iam.Workspace {
	return &iam.Workspace{ID: e.ID, Name: e.Name, Slug: e.Slug, OrganizationID: e.OrganizationID,
		Description: e.Description, Active: e.Active, CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC()}
}
