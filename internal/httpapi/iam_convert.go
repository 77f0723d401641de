package httpapi

import (
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/oas"
)

// Request side: ogen's optional values to the pointers the application uses for "not given".

func optString(o oas.OptString) *string {
	if v, ok := o.Get(); ok {
		return &v
	}
	return nil
}

func optSlug(o oas.OptSlug) *string {
	if v, ok := o.Get(); ok {
		s := string(v)
		return &s
	}
	return nil
}

func optBool(o oas.OptBool) *bool {
	if v, ok := o.Get(); ok {
		return &v
	}
	return nil
}

func optInt(o oas.OptInt) *int {
	if v, ok := o.Get(); ok {
		return &v
	}
	return nil
}

func optUUIDPtr(o oas.OptUUID) *uuid.UUID {
	if v, ok := o.Get(); ok {
		return &v
	}
	return nil
}

// pageOf builds a page request from the shared list parameters; sort is "" when not given.
func pageOf(limit, offset oas.OptInt, cursor oas.OptString, sort string) port.PageRequest {
	return port.PageRequest{Limit: limit.Or(port.DefaultLimit), Offset: offset.Or(0), Cursor: cursor.Or(""), Sort: sort}
}

func sortByName(o oas.OptSortByName) string {
	if v, ok := o.Get(); ok {
		return string(v)
	}
	return ""
}

// Response side.

func nextCursor(c string) oas.OptString {
	if c == "" {
		return oas.OptString{}
	}
	return oas.NewOptString(c)
}

func optTime(t *time.Time) oas.OptDateTime {
	if t == nil {
		return oas.OptDateTime{}
	}
	return oas.NewOptDateTime(*t)
}

func optUUIDOf(id *uuid.UUID) oas.OptUUID {
	if id == nil {
		return oas.OptUUID{}
	}
	return oas.NewOptUUID(*id)
}

// listOf converts a page's items.
func listOf[D, O any](items []D, conv func(*D) O) []O {
	out := make([]O, 0, len(items))
	for i := range items {
		out = append(out, conv(&items[i]))
	}
	return out
}

// respond maps one application result to its response.
func respond[D, O any](v *D, err error, conv func(*D) O) (*O, error) {
	if err != nil {
		return nil, err
	}
	o := conv(v)
	return &o, nil
}
