package decorator

import (
	"context"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

type handlerFunc func(context.Context, int) (int, error)

func (f handlerFunc) Handle(ctx context.Context, in int) (int, error) { return f(ctx, in) }

// The handler's span is made under a sampled parent or none, and skipped under an unsampled
// one (it would be dropped); the handler runs either way.
func TestTracingSkipsTheSpanUnderAnUnsampledParent(t *testing.T) {
	t.Parallel()
	parent := func(flags trace.TraceFlags) context.Context {
		return trace.ContextWithSpanContext(context.Background(), trace.NewSpanContext(trace.SpanContextConfig{
			TraceID: trace.TraceID{1}, SpanID: trace.SpanID{2}, TraceFlags: flags,
		}))
	}
	for _, c := range []struct {
		name  string
		ctx   context.Context
		spans int
	}{
		{"sampled parent", parent(trace.FlagsSampled), 1},
		{"no parent", context.Background(), 1},
		{"unsampled parent", parent(0), 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			rec := tracetest.NewSpanRecorder()
			tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.AlwaysSample()), sdktrace.WithSpanProcessor(rec))
			ran := false
			d := tracing[int, int]{tracer: tp.Tracer("test"), name: "query.Test", next: handlerFunc(func(context.Context, int) (int, error) {
				ran = true
				return 0, nil
			})}
			if _, err := d.Handle(c.ctx, 1); err != nil || !ran {
				t.Fatalf("handler ran %v, err %v", ran, err)
			}
			if n := len(rec.Ended()); n != c.spans {
				t.Fatalf("%d spans, want %d", n, c.spans)
			}
		})
	}
}
