package auditch_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ClickHouse/ch-go"
	"github.com/ClickHouse/ch-go/proto"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/testutil/audittest"
)

// Get by id is served by the id's bloom filter index, not a scan of every granule.
func TestGetUsesTheIDIndex(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	events := audittest.Sample(3000)
	if err := s.Write(ctx, events); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, audit.Scope{All: true}, events[1234].ID)
	if err != nil || got.ID != events[1234].ID {
		t.Fatalf("get: %v", err)
	}
	var plan proto.ColStr
	if err := s.pool.Do(ctx, ch.Query{
		Body:   "EXPLAIN indexes = 1 SELECT id FROM audit_logs WHERE id = '" + events[5].ID.String() + "'",
		Result: proto.Results{{Name: "explain", Data: &plan}},
	}); err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for i := range plan.Rows() {
		text.WriteString(plan.Row(i) + "\n")
	}
	if !strings.Contains(text.String(), "idx_id") {
		t.Fatalf("plan does not use idx_id:\n%s", text.String())
	}
}
