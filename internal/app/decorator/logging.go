package decorator

import (
	"context"
	"log/slog"
	"time"

	"github.com/telemetryflow/core/internal/domain/errs"
)

type logging[In, Out any] struct {
	next Handler[In, Out]
	log  *slog.Logger
	kind string
	name string
}

// Handle logs the outcome. Inputs are not logged: they may carry passwords or personal data.
// Internal errors are logged once, by the HTTP error mapper, so here they are only noted.
func (d logging[In, Out]) Handle(ctx context.Context, in In) (Out, error) {
	start := time.Now()
	out, err := d.next.Handle(ctx, in)
	attrs := []any{d.kind, d.name, "duration", time.Since(start)}
	switch {
	case err == nil:
		d.log.DebugContext(ctx, d.kind+" handled", attrs...)
	default:
		e := errs.As(err)
		attrs = append(attrs, "code", e.Code)
		if e.Kind == errs.KindInternal {
			d.log.WarnContext(ctx, d.kind+" failed", attrs...)
		} else {
			d.log.DebugContext(ctx, d.kind+" refused", attrs...)
		}
	}
	return out, err
}
