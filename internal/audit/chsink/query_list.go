package chsink

import (
	"context"
	"fmt"

	"github.com/ClickHouse/ch-go"
	"github.com/ClickHouse/ch-go/proto"

	"github.com/telemetryflow/core/internal/audit"
)

// List returns one page, newest first, continuing after q.After. FINAL makes a row that was
// stored twice (a replay outside the deduplication window) appear once.
func (s *Sink) List(ctx context.Context, q audit.ListQuery) (audit.Page, error) {
	limit := max(1, min(q.Limit, audit.MaxListLimit))
	var b query
	if !b.scope(q.Scope) {
		return audit.Page{}, nil
	}
	b.filter(q.Filter)
	if c := q.After; c != nil {
		// The first condition lets the primary key skip granules; the second is the exact cut.
		b.where("timestamp <= fromUnixTimestamp64Milli({after_ts:Int64})")
		b.where("(timestamp < fromUnixTimestamp64Milli({after_ts:Int64}) OR id < {after_id:UUID})")
		b.int("after_ts", c.Timestamp.UnixMilli())
		b.id("after_id", c.ID)
	}
	b.int("limit", int64(limit+1))
	body := fmt.Sprintf(`SELECT %s
FROM audit_logs FINAL
%s
ORDER BY timestamp DESC, id DESC
LIMIT {limit:UInt32}`, eventColumns, b.whereSQL())

	var r eventResult
	events := make([]audit.Event, 0, limit+1)
	err := s.db.Do(ctx, ch.Query{
		Body: body, Parameters: b.params, Result: r.results(),
		OnResult: func(context.Context, proto.Block) error {
			events = r.appendRows(events)
			return nil
		},
	})
	if err != nil {
		return audit.Page{}, fmt.Errorf("clickhouse: list audit logs: %w", err)
	}
	return page(events, limit), nil
}

// page trims the look-ahead row and sets the cursor when there is another page.
func page(events []audit.Event, limit int) audit.Page {
	if len(events) <= limit {
		return audit.Page{Events: events}
	}
	last := events[limit-1]
	return audit.Page{Events: events[:limit], Next: &audit.Cursor{Timestamp: last.Timestamp, ID: last.ID}}
}
