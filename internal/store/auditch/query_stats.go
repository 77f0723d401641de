package auditch

import (
	"context"
	"fmt"

	"github.com/ClickHouse/ch-go"
	"github.com/ClickHouse/ch-go/proto"

	"github.com/telemetryflow/core/internal/app/audit"
)

// Stats reads the daily counts from audit_logs_stats. sum(count) completes what the
// SummingMergeTree has not merged yet. Scoped to an organization, it adds the counts of the
// events that targeted the organization from another one (audit_logs_stats_by_target).
func (s *Sink) Stats(ctx context.Context, q audit.StatsQuery) ([]audit.StatsRow, error) {
	var b query
	if !b.scope(q.Scope) || !b.days("date", q.From, q.To) {
		return nil, nil
	}
	b.enums(q.EventType, q.Result)
	from := "audit_logs_stats\n" + b.whereSQL()
	if b.scoped {
		from = fmt.Sprintf(`(
SELECT date, event_type, result, count FROM audit_logs_stats
%s
UNION ALL
SELECT date, event_type, result, count FROM audit_logs_stats_by_target
%s
)`, b.whereWith("organization_id = {scope_org:String}"), b.whereWith("target_organization_id = {scope_org:String}"))
	}
	body := fmt.Sprintf(`SELECT date, event_type, result, sum(count) AS total
FROM %s
GROUP BY date, event_type, result
ORDER BY date, event_type, result`, from)
	var (
		date      proto.ColDate
		eventType proto.ColEnum8
		result    proto.ColEnum8
		total     proto.ColUInt64
		rows      []audit.StatsRow
	)
	err := s.read(ctx, ch.Query{
		Body: body, Parameters: b.params,
		Result: proto.Results{
			{Name: "date", Data: &date}, {Name: "event_type", Data: &eventType},
			{Name: "result", Data: &result}, {Name: "total", Data: &total},
		},
		OnResult: func(context.Context, proto.Block) error {
			for i := range date.Rows() {
				rows = append(rows, audit.StatsRow{
					Date: date.Row(i).UTC(), EventType: audit.EventType(eventType.Row(i)),
					Result: audit.Result(result.Row(i)), Count: total.Row(i),
				})
			}
			return nil
		},
	})
	if err != nil {
		return nil, fmt.Errorf("clickhouse: audit stats: %w", err)
	}
	return rows, nil
}
