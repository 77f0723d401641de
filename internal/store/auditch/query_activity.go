package auditch

import (
	"context"
	"fmt"

	"github.com/ClickHouse/ch-go"
	"github.com/ClickHouse/ch-go/proto"

	"github.com/telemetryflow/core/internal/app/audit"
)

// UserActivity reads one user's daily counts from audit_logs_user_activity; scoped to an
// organization, with the user's events that targeted it from another organization
// (audit_logs_user_activity_by_target).
func (s *Sink) UserActivity(ctx context.Context, q audit.ActivityQuery) ([]audit.ActivityRow, error) {
	var b query
	if q.UserID == "" || !b.scope(q.Scope) || !b.days("date", q.From, q.To) {
		return nil, nil
	}
	b.where("user_id = {user_id:String}")
	b.str("user_id", q.UserID)
	from := "audit_logs_user_activity\n" + b.whereSQL()
	if b.scoped {
		from = fmt.Sprintf(`(
SELECT date, event_type, count FROM audit_logs_user_activity
%s
UNION ALL
SELECT date, event_type, count FROM audit_logs_user_activity_by_target
%s
)`, b.whereWith("organization_id = {scope_org:String}"), b.whereWith("target_organization_id = {scope_org:String}"))
	}
	body := fmt.Sprintf(`SELECT date, event_type, sum(count) AS total
FROM %s
GROUP BY date, event_type
ORDER BY date, event_type`, from)
	var (
		date      proto.ColDate
		eventType proto.ColEnum8
		total     proto.ColUInt64
		rows      []audit.ActivityRow
	)
	err := s.read(ctx, ch.Query{
		Body: body, Parameters: b.params,
		Result: proto.Results{{Name: "date", Data: &date}, {Name: "event_type", Data: &eventType}, {Name: "total", Data: &total}},
		OnResult: func(context.Context, proto.Block) error {
			for i := range date.Rows() {
				rows = append(rows, audit.ActivityRow{
					Date: date.Row(i).UTC(), EventType: audit.EventType(eventType.Row(i)), Count: total.Row(i),
				})
			}
			return nil
		},
	})
	if err != nil {
		return nil, fmt.Errorf("clickhouse: audit user activity: %w", err)
	}
	return rows, nil
}
