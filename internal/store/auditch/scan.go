package auditch

import (
	"context"

	"github.com/ClickHouse/ch-go"
	"github.com/ClickHouse/ch-go/proto"

	"github.com/telemetryflow/core/internal/app/audit"
)

// eventColumns is the select list every event query reads, in the order of eventResult.
const eventColumns = `id, timestamp, user_id, user_email, user_first_name, user_last_name, event_type, action,
       resource, result, error_message, ip_address, user_agent, metadata, tenant_id, workspace_id,
       organization_id, target_organization_id, session_id, duration_ms, created_at`

// eventResult receives event rows block by block.
type eventResult struct {
	id                                                   proto.ColUUID
	timestamp, createdAt                                 proto.ColDateTime64
	userID, userEmail, userFirst, userLast               proto.ColStr
	eventType, result                                    proto.ColEnum8
	action, resource, errorMessage, ipAddress, userAgent proto.ColStr
	metadata, tenantID, workspaceID, orgID, sessionID    proto.ColStr
	targetOrgID                                          proto.ColStr
	durationMS                                           proto.ColUInt32
}

func (r *eventResult) results() proto.Results {
	return proto.Results{
		{Name: "id", Data: &r.id},
		{Name: "timestamp", Data: &r.timestamp},
		{Name: "user_id", Data: &r.userID},
		{Name: "user_email", Data: &r.userEmail},
		{Name: "user_first_name", Data: &r.userFirst},
		{Name: "user_last_name", Data: &r.userLast},
		{Name: "event_type", Data: &r.eventType},
		{Name: "action", Data: &r.action},
		{Name: "resource", Data: &r.resource},
		{Name: "result", Data: &r.result},
		{Name: "error_message", Data: &r.errorMessage},
		{Name: "ip_address", Data: &r.ipAddress},
		{Name: "user_agent", Data: &r.userAgent},
		{Name: "metadata", Data: &r.metadata},
		{Name: "tenant_id", Data: &r.tenantID},
		{Name: "workspace_id", Data: &r.workspaceID},
		{Name: "organization_id", Data: &r.orgID},
		{Name: "target_organization_id", Data: &r.targetOrgID},
		{Name: "session_id", Data: &r.sessionID},
		{Name: "duration_ms", Data: &r.durationMS},
		{Name: "created_at", Data: &r.createdAt},
	}
}

// appendRows converts the current block to events.
func (r *eventResult) appendRows(out []audit.Event) []audit.Event {
	for i := range r.id.Rows() {
		out = append(out, audit.Event{
			ID: r.id.Row(i), Timestamp: r.timestamp.Row(i).UTC(),
			UserID: r.userID.Row(i), UserEmail: r.userEmail.Row(i),
			UserFirstName: r.userFirst.Row(i), UserLastName: r.userLast.Row(i),
			EventType: audit.EventType(r.eventType.Row(i)), Action: r.action.Row(i), Resource: r.resource.Row(i),
			Result: audit.Result(r.result.Row(i)), ErrorMessage: r.errorMessage.Row(i),
			IPAddress: r.ipAddress.Row(i), UserAgent: r.userAgent.Row(i), Metadata: r.metadata.Row(i),
			TenantID: r.tenantID.Row(i), WorkspaceID: r.workspaceID.Row(i), OrganizationID: r.orgID.Row(i),
			TargetOrganizationID: r.targetOrgID.Row(i),
			SessionID:            r.sessionID.Row(i), DurationMS: r.durationMS.Row(i), CreatedAt: r.createdAt.Row(i).UTC(),
		})
	}
	return out
}

// readEvents runs a query selecting eventColumns and appends its rows to into.
func (s *Sink) readEvents(ctx context.Context, body string, params []proto.Parameter, into []audit.Event) ([]audit.Event, error) {
	var r eventResult
	err := s.read(ctx, ch.Query{
		Body: body, Parameters: params, Result: r.results(),
		OnResult: func(context.Context, proto.Block) error {
			into = r.appendRows(into)
			return nil
		},
	})
	return into, err
}
