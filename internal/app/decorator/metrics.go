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
}

func newMeasuring[In, Out any](next Handler[In, Out], m metric.Meter, kind, name string) measuring[In, Out] {
	h, err := m.Float64Histogram("telemetryflow.app.handler.duration",
		metric.WithUnit("s"), metric.WithDescription("Duration of application commands and queries."))
	if err != nil {
		h, _ = metricnoop.NewMeterProvider().Meter("").Float64Histogram("")
	}
	return measuring[In, Out]{next: next, duration: h,
		attrs: []attribute.KeyValue{attribute.String("kind", kind), attribute.String("name", name)}}
}

func (d measuring[In, Out]) Handle(ctx context.Context, in In) (Out, error) {
	start := time.Now()
	out, err := d.next.Handle(ctx, in)
	outcome := "ok"
	if err != nil {
		outcome = errs.As(err).Code
	}
	d.duration.Record(ctx, time.Since(start).Seconds(),
		metric.WithAttributes(append(d.attrs, attribute.String("outcome", outcome))...))
	return out, err
}
