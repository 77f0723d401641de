package auditwriter_test

import (
	"context"
	"testing"
	"time"

	"github.com/telemetryflow/core/internal/platform/auditwriter"
)

func newWriterB(b *testing.B) (*auditwriter.Writer, error) {
	w, err := auditwriter.New(auditwriter.Config{Sink: discardSink{}, SpoolDir: b.TempDir(), FlushInterval: 50 * time.Millisecond})
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
