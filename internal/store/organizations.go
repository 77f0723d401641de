package store

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/ent/group"
	"github.com/telemetryflow/core/ent/organization"
	"github.com/telemetryflow/core/ent/predicate"
	"github.com/telemetryflow/core/ent/role"
	"github.com/telemetryflow/core/ent/user"
	"github.com/telemetryflow/core/ent/workspace"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

type organizations struct{ repos }

var organizationUnique = unique{"": "slug", "organization_tenant_id_slug": "slug", "organizations.slug": "slug"}

var organizationSorts = byCreatedOrName(func(o *ent.Organization) time.Time { return o.CreatedAt }, func(o *ent.Organization) string { return o.Name })

// visible: outside the All scope, the caller's own organization.
func (organizations) visible(s port.Scope) predicate.Organization {
	return visible[predicate.Organization](s, organization.FieldID, s.OrganizationID)
}

func (r organizations) Get(ctx context.Context, s port.Scope, id uuid.UUID) (*iam.Organization, error) {
	return one(ctx, r.c.Organization.Query().Where(r.visible(s), organization.IDEQ(id)), "organization", toOrganization)
}

func (r organizations) List(ctx context.Context, s port.Scope, f port.OrganizationFilter, p port.PageRequest) (port.Page[iam.Organization], error) {
	q := r.c.Organization.Query().Where(r.visible(s))
	if f.Q != "" {
		q = q.Where(organization.Or(organization.NameContainsFold(f.Q), organization.SlugContainsFold(f.Q)))
	}
	if f.Active != nil {
		q = q.Where(organization.ActiveEQ(*f.Active))
	}
	if f.TenantID != nil {
		q = q.Where(organization.TenantIDEQ(*f.TenantID))
	}
	return pageOf(ctx, q, p, organizationSorts, func(e *ent.Organization) uuid.UUID { return e.ID }, r.list("organizations", s, f), toOrganization)
}

func (r organizations) Create(ctx context.Context, v *iam.Organization) error {
	err := r.c.Organization.Create().SetID(v.ID).SetName(v.Name).SetSlug(v.Slug).SetTenantID(v.TenantID).
		SetDescription(v.Description).SetNillableDomain(v.Domain).SetActive(v.Active).SetRequireMfa(v.RequireMFA).
		SetCreatedAt(v.CreatedAt).SetUpdatedAt(v.UpdatedAt).Exec(ctx)
	return mapErr(err, "organization", organizationUnique)
}

func (r organizations) Update(ctx context.Context, v *iam.Organization) error {
	u := r.c.Organization.Update().Where(organization.IDEQ(v.ID), organization.DeletedAtIsNil()).SetName(v.Name).
		SetSlug(v.Slug).SetDescription(v.Description).SetActive(v.Active).SetRequireMfa(v.RequireMFA).SetUpdatedAt(v.UpdatedAt)
	if v.Domain == nil {
		u = u.ClearDomain()
	} else {
		u = u.SetDomain(*v.Domain)
	}
	n, err := u.Save(ctx)
	return affected(n, err, "organization", organizationUnique)
}

func (r organizations) Delete(ctx context.Context, id uuid.UUID, at time.Time) error {
	return softDelete(ctx, r.c.Organization.Update().Where(organization.IDEQ(id), organization.DeletedAtIsNil()), at, "organization")
}

func (r organizations) Children(ctx context.Context, id uuid.UUID) (iam.Children, error) {
	c := iam.Children{}
	var err error
	if c["workspaces"], err = r.c.Workspace.Query().Where(workspace.OrganizationIDEQ(id), workspace.DeletedAtIsNil()).Count(ctx); err != nil {
		return nil, mapErr(err, "", nil)
	}
	if c["users"], err = r.c.User.Query().Where(user.OrganizationIDEQ(id), user.DeletedAtIsNil()).Count(ctx); err != nil {
		return nil, mapErr(err, "", nil)
	}
	if c["groups"], err = r.c.Group.Query().Where(group.OrganizationIDEQ(id), group.DeletedAtIsNil()).Count(ctx); err != nil {
		return nil, mapErr(err, "", nil)
	}
	c["roles"], err = r.c.Role.Query().Where(role.ScopeKeyEQ(iam.OrganizationScopeKey(id)), role.DeletedAtIsNil()).Count(ctx)
	return c, mapErr(err, "", nil)
}

func toOrganization(e *ent.Organization) *iam.Organization {
	return &iam.Organization{ID: e.ID, Name: e.Name, Slug: e.Slug, TenantID: e.TenantID, Description: e.Description,
		Domain: e.Domain, Active: e.Active, RequireMFA: e.RequireMfa, CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC()}
}
