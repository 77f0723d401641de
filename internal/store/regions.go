package store

import (
	"context"
	"time"

	"entgo.io/ent/dialect/sql"
	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/ent/predicate"
	"github.com/telemetryflow/core/ent/region"
	"github.com/telemetryflow/core/ent/tenant"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
)

type regions struct{ repos }

var regionUnique = unique{"": "code", "region_code": "code", "regions.code": "code"}

var regionSorts = sorts[*ent.Region]{
	"created_at": byTime("created_at", func(r *ent.Region) time.Time { return r.CreatedAt }),
	"name":       byString("name", func(r *ent.Region) string { return r.Name }),
}

// visible is the scope rule for regions: outside the All scope, the caller's own region.
func (regions) visible(s port.Scope) predicate.Region {
	if s.All {
		return region.DeletedAtIsNil()
	}
	return region.And(region.DeletedAtIsNil(), region.IDEQ(s.RegionID))
}

func (r regions) Get(ctx context.Context, s port.Scope, id uuid.UUID) (*iam.Region, error) {
	row, err := r.c.Region.Query().Where(r.visible(s), region.IDEQ(id)).Only(ctx)
	if err != nil {
		return nil, mapErr(err, "region", nil)
	}
	return toRegion(row), nil
}

func (r regions) List(ctx context.Context, s port.Scope, f port.RegionFilter, p port.PageRequest) (port.Page[iam.Region], error) {
	q := r.c.Region.Query().Where(r.visible(s))
	if f.Q != "" {
		q = q.Where(region.Or(region.NameContainsFold(f.Q), region.CodeContainsFold(f.Q)))
	}
	if f.Active != nil {
		q = q.Where(region.ActiveEQ(*f.Active))
	}
	page, err := paginate(ctx, q, p, regionSorts, func(e *ent.Region) uuid.UUID { return e.ID }, r.list("regions", s, f))
	if err != nil {
		return port.Page[iam.Region]{}, mapErr(err, "", nil)
	}
	return mapPage(page, func(e *ent.Region) iam.Region { return *toRegion(e) }), nil
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
	n, err := r.c.Region.Update().Where(region.IDEQ(id), region.DeletedAtIsNil()).
		SetDeletedAt(iam.Stamp(at)).SetUpdatedAt(iam.Stamp(at)).Save(ctx)
	return affected(n, err, "region", nil)
}

func (r regions) Children(ctx context.Context, id uuid.UUID) (iam.Children, error) {
	n, err := r.c.Tenant.Query().Where(tenant.RegionIDEQ(id), tenant.DeletedAtIsNil()).Count(ctx)
	return iam.Children{"tenants": n}, mapErr(err, "", nil)
}

func toRegion(e *ent.Region) *iam.Region {
	return &iam.Region{ID: e.ID, Name: e.Name, Code: e.Code, Description: e.Description, Active: e.Active,
		CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC()}
}

// affected maps the result of an UPDATE by id: no row means the target vanished (deleted
// concurrently) and answers not found.
func affected(n int, err error, resource string, fields unique) error {
	if err != nil {
		return mapErr(err, resource, fields)
	}
	if n == 0 {
		return errs.NotFound(resource)
	}
	return nil
}

// liveIn is a predicate on a column referencing live rows of another table, used to keep
// joins honest about soft deletion.
func liveIn(column, table string) func(*sql.Selector) {
	return func(s *sql.Selector) {
		t := sql.Table(table)
		s.Where(sql.In(s.C(column), sql.Select(t.C("id")).From(t).Where(sql.IsNull(t.C("deleted_at")))))
	}
}
