package auditsql

import (
	"context"
	"fmt"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/telemetryflow/core/ent/auditlog"
	"github.com/telemetryflow/core/ent/predicate"
	"github.com/telemetryflow/core/internal/app/audit"
)

// dayExpr is the UTC date of the timestamp as YYYY-MM-DD in the store's dialect. SQLite keeps
// times as text that starts with the date (always written in UTC here).
func dayExpr(s *entsql.Selector) string {
	col := s.C(auditlog.FieldTimestamp)
	if s.Dialect() == "postgres" {
		return "to_char(" + col + " AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
	}
	return "substr(" + col + ", 1, 10)"
}

type groupRow struct {
	Day       string `json:"day"`
	EventType string `json:"event_type"`
	Result    string `json:"result"`
	Count     int64  `json:"count"`
}

// dailyCounts counts the rows preds keep per UTC day and event type, and per result as well
// when byResult is set, and turns each group into a row; what names the summary in errors.
func dailyCounts[R any](ctx context.Context, s *Sink, preds []predicate.AuditLog, byResult bool, what string,
	row func(day time.Time, t audit.EventType, r audit.Result, n uint64) R,
) ([]R, error) {
	var rows []groupRow
	err := s.client.AuditLog.Query().Where(preds...).Modify(func(sel *entsql.Selector) {
		day := dayExpr(sel)
		keys := []string{day, sel.C(auditlog.FieldEventType)}
		if byResult {
			keys = append(keys, sel.C(auditlog.FieldResult))
		}
		cols := append([]string{entsql.As(day, "day")}, keys[1:]...)
		sel.Select(append(cols, entsql.As(entsql.Count("*"), "count"))...).GroupBy(keys...)
	}).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("audit %s: %w", what, err)
	}
	out := make([]R, 0, len(rows))
	for _, r := range rows {
		d, err := time.Parse(time.DateOnly, r.Day)
		if err != nil {
			return nil, fmt.Errorf("audit %s: day %q: %w", what, r.Day, err)
		}
		t, _ := audit.ParseEventType(r.EventType)
		res, _ := audit.ParseResult(r.Result) // empty, and unused, unless byResult
		out = append(out, row(d, t, res, uint64(r.Count)))
	}
	return out, nil
}
