package decorator

import (
	"context"
	"reflect"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
)

// auditing records one DATA event per call. The input struct goes into the metadata as JSON;
// inputs therefore mark secrets `json:"-"` (passwords never reach the audit log).
//
// The call runs with an audit note in its context (audit.Note), where the use case names its
// target (id and organization). For a command, the unit of work writes the successful call's
// row into the transactional outbox with the change, and the outbox's audit subscriber stores
// it: the decorator then records nothing, so there is exactly one row, and it survives a crash
// between the commit and the audit pipeline. The decorator records what committed nothing:
// failures, denials, reads (and a command that succeeded without a transaction).
type auditing[In, Out any] struct {
	next     Handler[In, Out]
	log      *audit.Log
	action   string
	resource string
	// asked is the input's field tagged `audit:"id"` (the path id a read asks for), nil when
	// it has none: a read that fails before it loads its target still records what it asked.
	asked []int
}

func (d auditing[In, Out]) Handle(ctx context.Context, in In) (Out, error) {
	note := &audit.Note{Action: d.action, Resource: d.resource, Input: in}
	out, err := d.next.Handle(audit.WithNote(ctx, note), in)
	if note.Committed() {
		// The outbox carries the row (even if something after the commit failed: the change
		// is committed, and the row says so).
		return out, err
	}
	id, ok := idOf(out)
	if !ok && d.asked != nil {
		id = reflect.ValueOf(in).FieldByIndex(d.asked).Interface().(uuid.UUID)
	}
	// Failing to record must not turn the answer into an error the client would retry
	// (audit.Log.Record); the recorder's own durability guarantees apply.
	d.log.Record(ctx, note.Event(ctx, err, id))
	return out, err
}

var uuidType = reflect.TypeFor[uuid.UUID]()

// idOf finds the ID of a created or changed entity (a pointer to a struct with an ID field).
func idOf(v any) (uuid.UUID, bool) {
	rv := reflect.ValueOf(v)
	for rv.IsValid() && rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return uuid.Nil, false
		}
		rv = rv.Elem()
	}
	if !rv.IsValid() || rv.Kind() != reflect.Struct {
		return uuid.Nil, false
	}
	f := rv.FieldByName("ID")
	if !f.IsValid() || f.Type() != uuidType {
		return uuid.Nil, false
	}
	return f.Interface().(uuid.UUID), true
}

// askedField is the index of In's uuid.UUID field tagged `audit:"id"`, or nil.
func askedField[In any]() []int {
	t := reflect.TypeFor[In]()
	if t.Kind() != reflect.Struct {
		return nil
	}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Tag.Get("audit") == "id" && f.Type == uuidType {
			return f.Index
		}
	}
	return nil
}
