package store

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/ent/organization"
	"github.com/telemetryflow/core/ent/predicate"
	"github.com/telemetryflow/core/ent/role"
	"github.com/telemetryflow/core/ent/tenant"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

type tenants struct{ repos }

var tenantUnique = unique{"": "slug", "tenant_slug": "slug", "tenants.slug": "slug"}

var tenantSorts = byCreatedOrName(func(t *ent.Tenant) time.Time { return t.CreatedAt }, func(t *ent.Tenant) string { return t.Name })

// visible: outside the All scope, the caller's own tenant.
func (tenants) visible(s port.Scope) predicate.Tenant {
	return visible[predicate.Tenant](s, tenant.FieldID, s.TenantID)
}

func (r tenants) Get(ctx context.Context, s port.Scope, id uuid.UUID) (*iam.Tenant, error) {
	return one(ctx, r.c.Tenant.Query().Where(r.visible(s), tenant.IDEQ(id)), "tenant", toTenant)
}

func (r tenants) List(ctx context.Context, s port.Scope, f port.TenantFilter, p port.PageRequest) (port.Page[iam.Tenant], error) {
	q := r.c.Tenant.Query().Where(r.visible(s))
	if f.Q != "" {
		q = q.Where(tenant.Or(tenant.NameContainsFold(f.Q), tenant.SlugContainsFold(f.Q)))
	}
	if f.Active != nil {
		q = q.Where(tenant.ActiveEQ(*f.Active))
	}
	if f.RegionID != nil {
		q = q.Where(tenant.RegionIDEQ(*f.RegionID))
	}
	return pageOf(ctx, q, p, tenantSorts, func(e *ent.Tenant) uuid.UUID { return e.ID }, r.list("tenants", s, f), toTenant)
}

func (r tenants) Create(ctx context.Context, v *iam.Tenant) error {
	err := r.c.Tenant.Create().SetID(v.ID).SetName(v.Name).SetSlug(v.Slug).SetRegionID(v.RegionID).
		SetDescription(v.Description).SetActive(v.Active).SetCreatedAt(v.CreatedAt).SetUpdatedAt(v.UpdatedAt).Exec(ctx)
	return mapErr(err, "tenant", tenantUnique)
}

func (r tenants) Update(ctx context.Context, v *iam.Tenant) error {
	n, err := r.c.Tenant.Update().Where(tenant.IDEQ(v.ID), tenant.DeletedAtIsNil()).SetName(v.Name).SetSlug(v.Slug).
		SetDescription(v.Description).SetActive(v.Active).SetUpdatedAt(v.UpdatedAt).Save(ctx)
	return affected(n, err, "tenant", tenantUnique)
}

func (r tenants) Delete(ctx context.Context, id uuid.UUID, at time.Time) error {
	return softDelete(ctx, r.c.Tenant.Update().Where(tenant.IDEQ(id), tenant.DeletedAtIsNil()), at, "tenant")
}

func (r tenants) Children(ctx context.Context, id uuid.UUID) (iam.Children, error) {
	orgs, err := r.c.Organization.Query().Where(organization.TenantIDEQ(id), organization.DeletedAtIsNil()).Count(ctx)
	if err != nil {
		return nil, mapErr(err, "", nil)
	}
	roles, err := r.c.Role.Query().Where(role.ScopeKeyEQ(iam.TenantScopeKey(id)), role.DeletedAtIsNil()).Count(ctx)
	return iam.Children{"organizations": orgs, "roles": roles}, mapErr(err, "", nil)
}

func toTenant(e *ent.Tenant) *iam.Tenant {
	return &iam.Tenant{ID: e.ID, Name: e.Name, Slug: e.Slug, RegionID: e.RegionID, Description: e.Description,
		Active: e.Active, CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC()}
}
