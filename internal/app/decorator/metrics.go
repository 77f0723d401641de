package decorator

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"

	"github.com/telemetryflow/core/internal/domain/errs"
)

type measuring[In, Out any] struct {
	next     Handler[In, Out]
	duration metric.Float64Histogram
	attrs    []attribute.KeyValue
	// ok is the options of a successful call, built once: the common case records without
	// allocating (attributes of a failure are built when it happens).
	ok []metric.RecordOption
}

func newMeasuring[In, Out any](next Handler[In, Out], m metric.Meter, kind, name string) measuring[In, Out] {
	h, err := m.Float64Histogram("telemetryflow.app.handler.duration",
		metric.WithUnit("s"), metric.WithDescription("Duration of application commands and queries."))
	if err != nil {
		h, _ = metricnoop.NewMeterProvider().Meter("").Float64Histogram("")
	}
	attrs := []attribute.KeyValue{attribute.String("kind", kind), attribute.String("name", name)}
	ok := attribute.NewSet(append(attrs[:len(attrs):len(attrs)], attribute.String("outcome", "ok"))...)
	return measuring[In, Out]{next: next, duration: h, attrs: attrs, ok: []metric.RecordOption{metric.WithAttributeSet(ok)}}
}

func (d measuring[In, Out]) Handle(ctx context.Context, in In) (Out, error) {
	start := time.Now()
	out, err := d.next.Handle(ctx, in)
	if err == nil {
		d.duration.Record(ctx, time.Since(start).Seconds(), d.ok...)
		return out, err
	}
	d.duration.Record(ctx, time.Since(start).Seconds(),
		metric.WithAttributes(append(d.attrs[:len(d.attrs):len(d.attrs)], attribute.String("outcome", errs.As(err).Code))...))
	return out, err
}
