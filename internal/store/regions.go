package store

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/ent/predicate"
	"github.com/telemetryflow/core/ent/region"
	"github.com/telemetryflow/core/ent/tenant"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

type regions struct{ repos }

var regionUnique = unique{"": "code", "region_code": "code", "regions.code": "code"}

var regionSorts = byCreatedOrName(func(r *ent.Region) time.Time { return r.CreatedAt }, func(r *ent.Region) string { return r.Name })

// visible is the scope rule for regions: outside the All scope, the caller's own region.
func (regions) visible(s port.Scope) predicate.Region {
	return visible[predicate.Region](s, region.FieldID, s.RegionID)
}

func (r regions) Get(ctx context.Context, s port.Scope, id uuid.UUID) (*iam.Region, error) {
	return one(ctx, r.c.Region.Query().Where(r.visible(s), region.IDEQ(id)), "region", toRegion)
}

func (r regions) List(ctx context.Context, s port.Scope, f port.RegionFilter, p port.PageRequest) (port.Page[iam.Region], error) {
	q := r.c.Region.Query().Where(r.visible(s))
	if f.Q != "" {
		q = q.Where(region.Or(region.NameContainsFold(f.Q), region.CodeContainsFold(f.Q)))
	}
	if f.Active != nil {
		q = q.Where(region.ActiveEQ(*f.Active))
	}
	return pageOf(ctx, q, p, regionSorts, func(e *ent.Region) uuid.UUID { return e.ID }, r.list("regions", s, f), toRegion)
}

func (r regions) Create(ctx context.Context, v *iam.Region) error {
	err := r.c.Region.Create().SetID(v.ID).SetName(v.Name).SetCode(v.Code).SetDescription(v.Description).
		SetActive(v.Active).SetCreatedAt(v.CreatedAt).SetUpdatedAt(v.UpdatedAt).Exec(ctx)
	return mapErr(err, "region", regionUnique)
}

func (r regions) Update(ctx context.Context, v *iam.Region) error {
	n, err := r.c.Region.Update().Where(region.IDEQ(v.ID), region.DeletedAtIsNil()).SetName(v.Name).SetCode(v.Code).
		SetDescription(v.Description).SetActive(v.Active).SetUpdatedAt(v.UpdatedAt).Save(ctx)
	return affected(n, err, "region", regionUnique)
}

func (r regions) Delete(ctx context.Context, id uuid.UUID, at time.Time) error {
	return softDelete(ctx, r.c.Region.Update().Where(region.IDEQ(id), region.DeletedAtIsNil()), at, "region")
}

func (r regions) Children(ctx context.Context, id uuid.UUID) (iam.Children, error) {
	n, err := r.c.Tenant.Query().Where(tenant.RegionIDEQ(id), tenant.DeletedAtIsNil()).Count(ctx)
	return iam.Children{"tenants": n}, mapErr(err, "", nil)
}

func toRegion(e *ent.Region) *iam.Region {
	return &iam.Region{ID: e.ID, Name: e.Name, Code: e.Code, Description: e.Description, Active: e.Active,
		CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC()}
}
