package chsink_test

import (
	"context"
	"testing"

	"github.com/telemetryflow/core/internal/audit"
	"github.com/telemetryflow/core/internal/audit/audittest"
)

// Rows stored twice under different batch tokens (outside insert deduplication) are listed
// once: the list reads with FINAL.
func TestListShowsAPhysicallyDuplicatedRowOnce(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	// Keep the parts apart, as they are before a background merge.
	s.exec(t, "SYSTEM STOP MERGES audit_logs")
	events := audittest.Sample(20)
	if err := s.Write(ctx, events); err != nil {
		t.Fatal(err)
	}
	for i := range events {
		if err := s.Write(ctx, events[i:i+1]); err != nil { // every row again, each its own batch
			t.Fatal(err)
		}
	}
	if n := s.count(t, "SELECT count() AS n FROM audit_logs"); n != 40 {
		t.Fatalf("physical rows %d, want 40 before any merge", n)
	}
	got := audittest.ListAll(t, s, audit.Scope{All: true}, audit.Filter{}, 3)
	if len(got) != 20 {
		t.Fatalf("listed %d, want 20", len(got))
	}
}

func TestListLimitIsClamped(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	if err := s.Write(ctx, audittest.Sample(5)); err != nil {
		t.Fatal(err)
	}
	p, err := s.List(ctx, audit.ListQuery{Scope: audit.Scope{All: true}, Limit: 0})
	if err != nil || len(p.Events) != 1 || p.Next == nil {
		t.Fatalf("limit 0: %d events, next %v, %v", len(p.Events), p.Next, err)
	}
}
