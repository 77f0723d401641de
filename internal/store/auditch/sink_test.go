package auditch_test

import (
	"context"
	"testing"

	"github.com/telemetryflow/core/internal/store/auditch"
	"github.com/telemetryflow/core/internal/testutil/audittest"
)

func TestSinkContract(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	audittest.RunSinkContract(t, s, s)
}

func TestReaderContract(t *testing.T) {
	t.Parallel()
	audittest.RunReaderContract(t, func(t *testing.T) audittest.Store { return newStore(t) })
}

// A repeated batch is dropped by the server as a whole, in audit_logs and in the views'
// tables; a batch with the same events cut differently is a different token, which FINAL
// and the ReplacingMergeTree still collapse for the log itself.
func TestDeduplicationByBatchToken(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	events := audittest.Sample(100)
	for range 3 {
		if err := s.Write(ctx, events); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.count(t, "SELECT count() AS n FROM audit_logs"); n != 100 {
		t.Fatalf("physical rows %d, want 100", n)
	}
	if n := s.count(t, "SELECT sum(count) AS n FROM audit_logs_stats"); n != 100 {
		t.Fatalf("stats count %d, want 100", n)
	}
	if n := s.count(t, "SELECT sum(count) AS n FROM audit_logs_user_activity"); n != 100 {
		t.Fatalf("activity count %d, want 100", n)
	}
	if auditch.Token(events) == auditch.Token(events[:99]) {
		t.Fatal("different batches share a token")
	}
	// A different cut of the same events: rows collapse in query results (FINAL).
	if err := s.Write(ctx, events[:10]); err != nil {
		t.Fatal(err)
	}
	if n := s.count(t, "SELECT count() AS n FROM audit_logs FINAL"); n != 100 {
		t.Fatalf("rows with FINAL %d, want 100", n)
	}
	s.exec(t, "OPTIMIZE TABLE audit_logs FINAL")
	if n := s.count(t, "SELECT count() AS n FROM audit_logs"); n != 100 {
		t.Fatalf("rows after merge %d, want 100", n)
	}
}

// Ping fails when the server is gone.
func TestPing(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	if err := s.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
}
