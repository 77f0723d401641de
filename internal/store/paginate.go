package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"entgo.io/ent/dialect/sql"
	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/platform/pagecursor"
)

// entQuery is the part of every generated ent query builder that pagination needs. P and O
// are the entity's predicate and order-option types, both func(*sql.Selector) underneath.
type entQuery[Q any, E any, P ~func(*sql.Selector), O ~func(*sql.Selector)] interface {
	Where(ps ...P) Q
	Order(o ...O) Q
	Limit(n int) Q
	Offset(n int) Q
	Clone() Q
	Count(ctx context.Context) (int, error)
	All(ctx context.Context) ([]E, error)
}

// sortKey is one sort a list accepts: the column, and how to read and parse its value for a
// cursor.
type sortKey[E any] struct {
	column string
	value  func(E) string
	parse  func(string) (any, error)
}

// sorts maps a sort name ("created_at", "name"...) to its key. "-name" sorts descending.
type sorts[E any] map[string]sortKey[E]

func byTime[E any](column string, get func(E) time.Time) sortKey[E] {
	return sortKey[E]{
		column: column,
		value:  func(e E) string { return get(e).UTC().Format(time.RFC3339Nano) },
		parse: func(s string) (any, error) {
			t, err := time.Parse(time.RFC3339Nano, s)
			return t.UTC(), err
		},
	}
}

func byString[E any](column string, get func(E) string) sortKey[E] {
	return sortKey[E]{column: column, value: get, parse: func(s string) (any, error) { return s, nil }}
}

// cursor is the position after which the next page starts: the sort it belongs to, the sort
// key value and the id of the last item (the tie-breaker). It also carries the total counted
// for the first page, so following pages cost O(page) instead of a COUNT over every matching
// row; a walk therefore reports the total as of its first page. Cursors are sealed (HMAC) and
// bound to their list, so a client can neither move a position nor set the total it is told.
type cursor struct {
	Sort  string    `json:"s"`
	Value string    `json:"v"`
	ID    uuid.UUID `json:"i"`
	Total int       `json:"n"`
}

// pageList names one list for its cursors: everything that makes a list that list (resource,
// scope, filters, parent) is in the name, so a cursor of one list is refused by any other.
type pageList struct {
	codec *pagecursor.Codec
	name  string
}

// list builds the page list of resource with the given scope, filters or parent id.
func (r repos) list(resource string, parts ...any) pageList {
	b, err := json.Marshal(parts)
	if err != nil {
		// Scopes, filters and ids always marshal; if one did not, no cursor of it would open.
		b = []byte(err.Error())
	}
	return pageList{codec: r.cursors, name: resource + ":" + string(b)}
}

func (l pageList) seal(c cursor) string {
	b, _ := json.Marshal(c)
	return l.codec.Seal(l.name, b)
}

func (l pageList) open(s string) (cursor, error) {
	var c cursor
	b, err := l.codec.Open(l.name, s)
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(b, &c); err != nil || c.ID == uuid.Nil || c.Total < 0 {
		return c, pagecursor.Invalid()
	}
	return c, nil
}

// paginate answers one page of q (already filtered and scoped): the total, the items in a
// stable order (sort key, then id) and a cursor when more follow. With a cursor the page starts
// right after it (keyset, O(page) however deep); without one, at the offset.
func paginate[Q entQuery[Q, E, P, O], E any, P ~func(*sql.Selector), O ~func(*sql.Selector)](
	ctx context.Context, q Q, req port.PageRequest, keys sorts[E], id func(E) uuid.UUID, list pageList,
) (port.Page[E], error) {
	var page port.Page[E]
	name, desc := strings.TrimPrefix(req.Sort, "-"), strings.HasPrefix(req.Sort, "-")
	if name == "" {
		name = "created_at"
	}
	key, ok := keys[name]
	if !ok {
		return page, errs.Invalid(errs.FieldError{Field: "sort", Message: fmt.Sprintf("cannot sort by %q", req.Sort)})
	}
	limit := req.Limit
	if limit <= 0 {
		limit = port.DefaultLimit
	}
	limit = min(limit, port.MaxLimit)

	sortName := name
	if desc {
		sortName = "-" + name
	}
	q = q.Clone()
	if req.Cursor != "" {
		c, err := list.open(req.Cursor)
		if err != nil {
			return page, err
		}
		if c.Sort != sortName {
			return page, pagecursor.InvalidBecause("belongs to another sort order")
		}
		v, err := key.parse(c.Value)
		if err != nil {
			return page, pagecursor.Invalid()
		}
		page.Total = c.Total
		cols := []string{key.column, "id"}
		q = q.Where(P(func(s *sql.Selector) {
			qualified := []string{s.C(cols[0]), s.C(cols[1])}
			if desc {
				s.Where(sql.CompositeLT(qualified, v, c.ID))
			} else {
				s.Where(sql.CompositeGT(qualified, v, c.ID))
			}
		}))
	} else {
		total, err := q.Clone().Count(ctx)
		if err != nil {
			return page, err
		}
		page.Total = total
		if req.Offset > 0 {
			q = q.Offset(req.Offset)
		}
	}
	q = q.Order(O(func(s *sql.Selector) {
		if desc {
			s.OrderBy(sql.Desc(s.C(key.column)), sql.Desc(s.C("id")))
		} else {
			s.OrderBy(sql.Asc(s.C(key.column)), sql.Asc(s.C("id")))
		}
	}))
	items, err := q.Limit(limit + 1).All(ctx)
	if err != nil {
		return page, err
	}
	if len(items) > limit {
		items = items[:limit]
		last := items[limit-1]
		page.NextCursor = list.seal(cursor{Sort: sortName, Value: key.value(last), ID: id(last), Total: page.Total})
	}
	page.Items = items
	return page, nil
}

// mapPage converts a page of ent rows into domain values.
func mapPage[E, D any](p port.Page[E], conv func(E) D) port.Page[D] {
	out := port.Page[D]{NextCursor: p.NextCursor, Total: p.Total, Items: make([]D, 0, len(p.Items))}
	for _, e := range p.Items {
		out.Items = append(out.Items, conv(e))
	}
	return out
}
