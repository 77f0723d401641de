package auditch

import (
	"context"
	"fmt"

	"github.com/telemetryflow/core/internal/app/audit"
)

// dupSlack is how many extra rows a page reads so that dropping copies still fills it.
const dupSlack = 8

// List returns one page, newest first, continuing after q.After.
//
// A row stored twice (a replay that escaped insert deduplication, before a merge collapses
// it) must appear once. Copies are identical, so they are adjacent in (timestamp, id) order
// and the page drops them as it reads; the keyset cursor is strictly after the last row, so a
// copy never starts the next page either. That is exact, like FINAL, at half its cost for
// queries across organizations (docs/audit.md).
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
	want := limit + 1 + dupSlack
	b.int("limit", int64(want))
	const tail = "\nORDER BY timestamp DESC, id DESC\nLIMIT {limit:UInt32}"
	body := fmt.Sprintf("SELECT %s\nFROM audit_logs\n%s", eventColumns, b.whereSQL()) + tail
	if b.scoped {
		// Each part reads its newest rows in key order; the outer query merges them.
		part := func(scope string) string {
			return fmt.Sprintf("SELECT %s\nFROM audit_logs\n%s", eventColumns, b.whereWith(scope)) + tail
		}
		body = fmt.Sprintf("SELECT %s\nFROM (\n%s\nUNION ALL\n%s\n)", eventColumns, part(scopeActor), part(scopeTarget)) + tail
	}

	events, err := s.readEvents(ctx, body, b.params, make([]audit.Event, 0, want))
	if err != nil {
		return audit.Page{}, fmt.Errorf("clickhouse: list audit logs: %w", err)
	}
	return page(events, limit, len(events) == want), nil
}

// page drops adjacent copies, trims the look-ahead rows and sets the cursor when there may be
// another page (more rows than the page, or a full read of which copies took a share).
func page(rows []audit.Event, limit int, full bool) audit.Page {
	if len(rows) == 0 {
		return audit.Page{}
	}
	lastRead := rows[len(rows)-1]
	kept := make([]audit.Event, 0, min(len(rows), limit+1))
	for _, e := range rows {
		if len(kept) > 0 && e.ID == kept[len(kept)-1].ID {
			continue
		}
		kept = append(kept, e)
	}
	switch {
	case len(kept) > limit:
		last := kept[limit-1]
		return audit.Page{Events: kept[:limit], Next: &audit.Cursor{Timestamp: last.Timestamp, ID: last.ID}}
	case full:
		return audit.Page{Events: kept, Next: &audit.Cursor{Timestamp: lastRead.Timestamp, ID: lastRead.ID}}
	default:
		return audit.Page{Events: kept}
	}
}
