package store

import (
	"context"
	"time"

	"entgo.io/ent/dialect/sql"
	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// What every IAM table has in common, written once over ent's generated builders: soft
// deletion (a live row has no deleted_at), the scope rule, reading one row, a page of rows,
// and the default sorts. Each repository passes its own generated builder and conversion.

// visible is the scope rule of a table: live rows and, outside the All scope, only those
// whose column holds the caller's own id (their region, tenant or organization).
func visible[P ~func(*sql.Selector)](s port.Scope, column string, own uuid.UUID) P {
	if s.All {
		return P(sql.FieldIsNull(deletedAt))
	}
	return P(sql.AndPredicates(sql.FieldIsNull(deletedAt), sql.FieldEQ(column, own)))
}

// deletedAt is the soft-delete column of every IAM table.
const deletedAt = "deleted_at"

// onlyQuery is a generated query that expects exactly one row.
type onlyQuery[E any] interface {
	Only(ctx context.Context) (E, error)
}

// one reads the row q finds as a domain value; no row (absent, deleted or out of scope) is
// errs.NotFound(resource).
func one[E, D any](ctx context.Context, q onlyQuery[E], resource string, conv func(E) *D) (*D, error) {
	row, err := q.Only(ctx)
	if err != nil {
		return nil, mapErr(err, resource, nil)
	}
	return conv(row), nil
}

// pageOf answers one page of q (already scoped and filtered) as domain values.
func pageOf[Q entQuery[Q, E, P, O], E any, P ~func(*sql.Selector), O ~func(*sql.Selector), D any](
	ctx context.Context, q Q, req port.PageRequest, keys sorts[E], id func(E) uuid.UUID, list pageList, conv func(E) *D,
) (port.Page[D], error) {
	page, err := paginate(ctx, q, req, keys, id, list)
	if err != nil {
		return port.Page[D]{}, mapErr(err, "", nil)
	}
	return mapPage(page, func(e E) D { return *conv(e) }), nil
}

// grantPage answers a page of what a holder was granted (roles or permissions), each with who
// granted it and when: q finds the granted rows, joins loads the holder's join rows of the
// ids on the page, of reads a join row's granted id and assignment, grant makes the answer.
func grantPage[Q entQuery[Q, E, P, O], E any, P, O ~func(*sql.Selector), R, G any](
	ctx context.Context, q Q, req port.PageRequest, keys sorts[E], id func(E) uuid.UUID, list pageList,
	joins func(ids []uuid.UUID) ([]R, error), of func(R) (uuid.UUID, port.Assignment), grant func(E, port.Assignment) G,
) (port.Page[G], error) {
	page, err := paginate(ctx, q, req, keys, id, list)
	if err != nil {
		return port.Page[G]{}, mapErr(err, "", nil)
	}
	rows, err := joins(ids(page.Items, id))
	if err != nil {
		return port.Page[G]{}, mapErr(err, "", nil)
	}
	at := assignments(rows, of)
	return mapPage(page, func(e E) G { return grant(e, at[id(e)]) }), nil
}

// ids collects the ids of a page's rows.
func ids[E any](items []E, id func(E) uuid.UUID) []uuid.UUID {
	out := make([]uuid.UUID, 0, len(items))
	for _, e := range items {
		out = append(out, id(e))
	}
	return out
}

// assignments indexes the join rows of a page by the granted id.
func assignments[R any](rows []R, of func(R) (uuid.UUID, port.Assignment)) map[uuid.UUID]port.Assignment {
	out := make(map[uuid.UUID]port.Assignment, len(rows))
	for _, r := range rows {
		id, a := of(r)
		out[id] = a
	}
	return out
}

// softDeletable is a generated update builder of a table with deleted_at.
type softDeletable[U any] interface {
	SetDeletedAt(t time.Time) U
	SetUpdatedAt(t time.Time) U
	Save(ctx context.Context) (int, error)
}

// softDelete marks the live row u selects deleted at the given time; none left to delete is
// errs.NotFound(resource).
func softDelete[U softDeletable[U]](ctx context.Context, u U, at time.Time, resource string) error {
	n, err := u.SetDeletedAt(iam.Stamp(at)).SetUpdatedAt(iam.Stamp(at)).Save(ctx)
	return affected(n, err, resource, nil)
}

// byCreatedOrName are the sorts of a resource listed by creation (the default) or name.
func byCreatedOrName[E any](created func(E) time.Time, name func(E) string) sorts[E] {
	return sorts[E]{"created_at": byTime("created_at", created), "name": byString("name", name)}
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
		s.Where(sql.In(s.C(column), sql.Select(t.C("id")).From(t).Where(sql.IsNull(t.C(deletedAt)))))
	}
}
