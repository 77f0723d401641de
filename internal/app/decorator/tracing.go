package decorator

import (
	"context"
	"errors"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/telemetryflow/core/internal/domain/errs"
)

type tracing[In, Out any] struct {
	next   Handler[In, Out]
	tracer trace.Tracer
	name   string
}

func (d tracing[In, Out]) Handle(ctx context.Context, in In) (Out, error) {
	// Under an unsampled parent (every request when no exporter is configured) the span would
	// be built and dropped on every call; the SQL spans follow the same rule (sqldb).
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() && !sc.IsSampled() {
		return d.next.Handle(ctx, in)
	}
	ctx, span := d.tracer.Start(ctx, d.name)
	defer span.End()
	out, err := d.next.Handle(ctx, in)
	if err != nil {
		// Only the stable code goes into the span: messages and causes may hold data.
		code := errs.As(err).Code
		span.RecordError(errors.New(code))
		span.SetStatus(codes.Error, code)
	}
	return out, err
}
