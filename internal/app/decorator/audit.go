package decorator

import (
	"context"
	"log/slog"
	"reflect"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/audit"
	"github.com/telemetryflow/core/internal/errs"
)

// auditing records one DATA event per call. The input struct goes into the metadata as JSON;
// inputs therefore mark secrets `json:"-"` (passwords never reach the audit log).
type auditing[In, Out any] struct {
	next     Handler[In, Out]
	rec      audit.Recorder
	log      *slog.Logger
	action   string
	resource string
}

func (d auditing[In, Out]) Handle(ctx context.Context, in In) (Out, error) {
	out, err := d.next.Handle(ctx, in)
	result := audit.ResultSuccess
	var e *errs.Error
	if err != nil {
		e = errs.As(err)
		result = audit.ResultFailure
		if e.Kind == errs.KindForbidden {
			result = audit.ResultDenied
		}
	}
	ev := audit.New(ctx, audit.EventData, d.action, d.resource, result)
	meta := map[string]any{"input": in}
	if id, ok := idOf(out); ok {
		meta["id"] = id
	}
	ev.WithMetadata(meta)
	if e != nil {
		// The safe message only: causes can hold SQL or data.
		ev.ErrorMessage = e.Code + ": " + e.Message
	}
	// The change is committed by now; failing to record it must not turn success into an
	// error the client would retry. The recorder's own durability guarantees apply.
	if rerr := d.rec.Record(ctx, ev); rerr != nil {
		d.log.ErrorContext(ctx, "audit record failed", "action", d.action, "error", rerr)
	}
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
