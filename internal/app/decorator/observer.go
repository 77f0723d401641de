package decorator

import (
	"log/slog"
	"reflect"

	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/telemetryflow/core/internal/app/audit"
)

// Observer holds what the decorators report to. Nil fields are replaced by no-ops, so the
// observability work can plug in real providers without touching any handler.
type Observer struct {
	Log    *slog.Logger
	Tracer trace.Tracer
	Meter  metric.Meter
	// Audit receives one DATA event per command and per read Reads records.
	Audit audit.Recorder
	// Reads is TF_AUDIT_READS: which queries leave a DATA row (the zero value: all).
	Reads audit.Reads
}

// actionName is the audit action, log message and span and metric name of a use case: its
// input type's name in snake_case (CreateUser → create_user), the same rule as the operation
// gate's AUTHZ actions.
func actionName[In any]() string { return audit.ActionName(reflect.TypeFor[In]().Name()) }

// auditLog is where the decorators record DATA rows; nil (no recorder) records nothing.
func (o Observer) auditLog() *audit.Log {
	if o.Audit == nil {
		return nil
	}
	// The only invalid configuration, a nil recorder, is excluded above.
	l, _ := audit.NewLog(audit.LogConfig{Recorder: o.Audit, Logger: o.Log, Reads: o.Reads})
	return l
}

func (o Observer) withDefaults() Observer {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Tracer == nil {
		o.Tracer = tracenoop.NewTracerProvider().Tracer("")
	}
	if o.Meter == nil {
		o.Meter = metricnoop.NewMeterProvider().Meter("")
	}
	return o
}

// Command decorates a command handler: tracing → logging → metrics → audit → handler. Audit
// sits innermost so it records the handler's own outcome; tracing outermost so the span
// covers everything. Spans are named command.<Type> (docs/observability.md).
func Command[C, R any](h CommandHandler[C, R], o Observer, resource string) CommandHandler[C, R] {
	o = o.withDefaults()
	name := actionName[C]()
	if log := o.auditLog(); log != nil {
		h = auditing[C, R]{next: h, log: log, action: name, resource: resource}
	}
	h = newMeasuring(h, o.Meter, "command", name)
	h = logging[C, R]{next: h, log: o.Log, kind: "command", name: name}
	return tracing[C, R]{next: h, tracer: o.Tracer, name: "command." + reflect.TypeFor[C]().Name()}
}

// Query decorates a query handler. Whether it records a DATA row per call is decided once,
// here, by the one rule (audit.Reads.Records) from what the read reveals: a query the setting
// does not record costs nothing at run time.
func Query[Q, R any](h QueryHandler[Q, R], o Observer, resource string, kind audit.ReadKind) QueryHandler[Q, R] {
	o = o.withDefaults()
	name := actionName[Q]()
	if log := o.auditLog(); log.Records(kind) {
		h = auditing[Q, R]{next: h, log: log, action: name, resource: resource, asked: askedField[Q]()}
	}
	h = newMeasuring(h, o.Meter, "query", name)
	h = logging[Q, R]{next: h, log: o.Log, kind: "query", name: name}
	return tracing[Q, R]{next: h, tracer: o.Tracer, name: "query." + reflect.TypeFor[Q]().Name()}
}
