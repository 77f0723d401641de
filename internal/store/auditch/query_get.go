package auditch

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
)

// Get returns one event; audit.ErrNotFound when it is absent or outside the scope. The id's
// bloom filter index skips the granules that cannot hold it; copies of a replayed row are
// identical, so any one is the answer.
func (s *Sink) Get(ctx context.Context, scope audit.Scope, id uuid.UUID) (audit.Event, error) {
	var b query
	if !b.scope(scope) {
		return audit.Event{}, audit.ErrNotFound
	}
	b.where("id = {id:UUID}")
	b.id("id", id)
	var visible []string
	if b.scoped {
		// The id's index finds the row; either part of the scope may hold it.
		visible = []string{"(" + scopeActor + " OR " + scopeTarget + ")"}
	}
	body := fmt.Sprintf("SELECT %s\nFROM audit_logs\n%s\nLIMIT 1", eventColumns, b.whereWith(visible...))
	events, err := s.readEvents(ctx, body, b.params, nil)
	if err != nil {
		return audit.Event{}, fmt.Errorf("clickhouse: get audit log: %w", err)
	}
	if len(events) == 0 {
		return audit.Event{}, audit.ErrNotFound
	}
	return events[0], nil
}
