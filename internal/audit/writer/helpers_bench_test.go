package writer_test

import (
	"context"
	"testing"
	"time"

	"github.com/telemetryflow/core/internal/audit/writer"
)

func newWriterB(b *testing.B) (*writer.Writer, error) {
	w, err := writer.New(writer.Config{Sink: discardSink{}, SpoolDir: b.TempDir(), FlushInterval: 50 * time.Millisecond})
	if err != nil {
		return nil, err
	}
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = w.Close(ctx)
	})
	return w, nil
}
