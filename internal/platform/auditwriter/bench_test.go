package auditwriter_test

import (
	"context"
	"testing"
	"time"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/platform/auditwriter"
	"github.com/telemetryflow/core/internal/testutil/audittest"
)

type discardSink struct{}

func (discardSink) Write(context.Context, []audit.Event) error { return nil }
func (discardSink) Ping(context.Context) error                 { return nil }

// BenchmarkRecord is the cost the request path pays per audit event: encoding and a copy
// into the memory-mapped spool. The inserter runs concurrently against a sink that discards.
func BenchmarkRecord(b *testing.B) {
	w := newBenchWriter(b)
	e := audittest.Sample(1)[0]
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := w.Record(ctx, e); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRecordParallel is the same from every P at once (contention on the spool lock).
func BenchmarkRecordParallel(b *testing.B) {
	w := newBenchWriter(b)
	e := audittest.Sample(1)[0]
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := w.Record(ctx, e); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func newBenchWriter(b *testing.B) interface {
	Record(context.Context, audit.Event) error
} {
	b.Helper()
	w, err := newWriterB(b)
	if err != nil {
		b.Fatal(err)
	}
	return w
}

// stalledSink never answers, so the inserter takes no CPU: what is left is the request
// path's own cost (encode, checksum, copy into the mapped segment).
type stalledSink struct{}

func (stalledSink) Write(ctx context.Context, _ []audit.Event) error {
	<-ctx.Done()
	return ctx.Err()
}
func (stalledSink) Ping(context.Context) error { return nil }

func BenchmarkRecordRequestPathOnly(b *testing.B) {
	w, err := auditwriter.New(auditwriter.Config{Sink: stalledSink{}, SpoolDir: b.TempDir(), InsertTimeout: time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_ = w.Close(ctx)
	})
	e := audittest.Sample(1)[0]
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := w.Record(ctx, e); err != nil {
			b.Fatal(err)
		}
	}
}
