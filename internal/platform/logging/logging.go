// Package logging builds the process logger: log/slog, JSON by default, with the request id
// (and, once known, user and trace ids) added to every record logged with a request context.
package logging

import (
	"context"
	"io"
	"log/slog"
	"strings"

	"github.com/telemetryflow/core/internal/platform/principal"
	"github.com/telemetryflow/core/internal/platform/reqinfo"
)

// New returns a logger writing to w in format "json" or "text" at level.
func New(w io.Writer, level, format string) *slog.Logger {
	var lv slog.Level
	_ = lv.UnmarshalText([]byte(strings.ToUpper(level)))
	opts := &slog.HandlerOptions{Level: lv}
	var h slog.Handler
	if format == "text" {
		h = slog.NewTextHandler(w, opts)
	} else {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(contextHandler{h})
}

// contextHandler adds request-scoped attributes from the context.
type contextHandler struct{ slog.Handler }

func (h contextHandler) Handle(ctx context.Context, r slog.Record) error {
	if info := reqinfo.From(ctx); info.ID != "" {
		r.AddAttrs(slog.String("request_id", info.ID))
	}
	if p := principal.From(ctx); p != nil {
		r.AddAttrs(slog.String("user_id", p.UserID.String()))
	}
	for _, enrich := range enrichers {
		enrich(ctx, &r)
	}
	return h.Handler.Handle(ctx, r)
}

func (h contextHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return contextHandler{h.Handler.WithAttrs(attrs)}
}

func (h contextHandler) WithGroup(name string) slog.Handler {
	return contextHandler{h.Handler.WithGroup(name)}
}

// enrichers let other packages (tracing) add their ids without this package importing them.
var enrichers []func(context.Context, *slog.Record)

// AddEnricher registers f; call it during start-up only.
func AddEnricher(f func(context.Context, *slog.Record)) { enrichers = append(enrichers, f) }
