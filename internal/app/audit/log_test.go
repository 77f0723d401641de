package audit_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/telemetryflow/core/internal/app/audit"
)

type failingRecorder struct{ calls int }

func (r *failingRecorder) Record(context.Context, audit.Event) error {
	r.calls++
	return errors.New("spool: disk full")
}

// TestLogRecord: a failed enqueue is logged once and never reaches the caller; the fail-closed
// path hands it to the caller instead (and logs nothing: the caller reports it).
func TestLogRecord(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	rec := &failingRecorder{}
	log, err := audit.NewLog(audit.LogConfig{Recorder: rec, Logger: slog.New(slog.NewTextHandler(&out, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	log.Record(ctx, audit.NewSystem(ctx, "service_start", "service", nil))
	if rec.calls != 1 || strings.Count(out.String(), "audit event not recorded") != 1 || !strings.Contains(out.String(), "action=service_start") {
		t.Fatalf("calls %d, log %q", rec.calls, out.String())
	}
	out.Reset()
	if err := log.RecordOrFail(ctx, audit.NewData(ctx, "list_audit_logs", "audit_log", nil)); err == nil || out.Len() != 0 {
		t.Fatalf("fail-closed record: %v, log %q", err, out.String())
	}
	var none *audit.Log
	none.Record(ctx, audit.NewSystem(ctx, "service_stop", "service", nil))
	if err := none.RecordOrFail(ctx, audit.Event{}); err != nil {
		t.Fatal(err)
	}
}
