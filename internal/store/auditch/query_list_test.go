package auditch_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/testutil/audittest"
)

// Rows stored twice under different batch tokens (outside insert deduplication), before any
// merge collapses them, are listed once, whatever the page size.
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
	for _, limit := range []int{1, 2, 3, 7, 50} {
		got := audittest.ListAll(t, s, audit.Scope{All: true}, audit.Filter{}, limit)
		seen := map[uuid.UUID]bool{}
		for _, e := range got {
			if seen[e.ID] {
				t.Fatalf("limit %d: %s listed twice", limit, e.ID)
			}
			seen[e.ID] = true
		}
		if len(got) != 20 {
			t.Fatalf("limit %d: listed %d, want 20", limit, len(got))
		}
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
