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
// Successes and refusals are debug lines: at the production level (info) the call asks the
// logger whether it would record before building anything, so it allocates nothing.
func (d logging[In, Out]) Handle(ctx context.Context, in In) (Out, error) {
	start := time.Now()
	out, err := d.next.Handle(ctx, in)
	level, outcome, code := slog.LevelDebug, " handled", ""
	if err != nil {
		e := errs.As(err)
		code, outcome = e.Code, " refused"
		if e.Kind == errs.KindInternal {
			level, outcome = slog.LevelWarn, " failed"
		}
	}
	if !d.log.Enabled(ctx, level) {
		return out, err
	}
	attrs := []slog.Attr{slog.String(d.kind, d.name), slog.Duration("duration", time.Since(start))}
	if err != nil {
		attrs = append(attrs, slog.String("code", code))
	}
	d.log.LogAttrs(ctx, level, d.kind+outcome, attrs...)
	return out, err
}
