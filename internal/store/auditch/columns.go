package auditch

import (
	"github.com/ClickHouse/ch-go/proto"

	"github.com/telemetryflow/core/internal/app/audit"
)

// Enum types exactly as the schema declares them: ch-go sends the column type with the
// block, and ClickHouse checks it against the table.
const (
	eventTypeEnum = "Enum8('AUTH' = 1, 'AUTHZ' = 2, 'DATA' = 3, 'SYSTEM' = 4)"
	resultEnum    = "Enum8('SUCCESS' = 1, 'FAILURE' = 2, 'DENIED' = 3)"
)

// columns is one audit_logs block. It is reset and refilled for every batch, so after the
// first few batches an insert allocates nothing.
type columns struct {
	id                                     proto.ColUUID
	timestamp, createdAt                   *proto.ColDateTime64
	userID, userEmail, userFirst, userLast proto.ColStr
	eventType, result                      proto.ColEnum8
	action, resource, errorMessage         proto.ColStr
	ipAddress, userAgent, metadata         proto.ColStr
	tenantID, workspaceID, orgID           proto.ColStr
	targetOrgID, sessionID                 proto.ColStr
	durationMS                             proto.ColUInt32

	input  proto.Input
	insert string
}

func newColumns() *columns {
	c := &columns{
		timestamp: new(proto.ColDateTime64).WithPrecision(proto.PrecisionMilli),
		createdAt: new(proto.ColDateTime64).WithPrecision(proto.PrecisionMilli),
	}
	c.input = proto.Input{
		{Name: "id", Data: &c.id},
		{Name: "timestamp", Data: c.timestamp},
		{Name: "user_id", Data: &c.userID},
		{Name: "user_email", Data: &c.userEmail},
		{Name: "user_first_name", Data: &c.userFirst},
		{Name: "user_last_name", Data: &c.userLast},
		{Name: "event_type", Data: proto.Alias(&c.eventType, eventTypeEnum)},
		{Name: "action", Data: &c.action},
		{Name: "resource", Data: &c.resource},
		{Name: "result", Data: proto.Alias(&c.result, resultEnum)},
		{Name: "error_message", Data: &c.errorMessage},
		{Name: "ip_address", Data: &c.ipAddress},
		{Name: "user_agent", Data: &c.userAgent},
		{Name: "metadata", Data: &c.metadata},
		{Name: "tenant_id", Data: &c.tenantID},
		{Name: "workspace_id", Data: &c.workspaceID},
		{Name: "organization_id", Data: &c.orgID},
		{Name: "target_organization_id", Data: &c.targetOrgID},
		{Name: "session_id", Data: &c.sessionID},
		{Name: "duration_ms", Data: &c.durationMS},
		{Name: "created_at", Data: c.createdAt},
	}
	c.insert = c.input.Into("audit_logs")
	return c
}

func (c *columns) reset() {
	for _, col := range c.input {
		col.Data.(proto.Resettable).Reset()
	}
}

func (c *columns) append(e *audit.Event) {
	c.id.Append(e.ID)
	c.timestamp.Append(e.Timestamp)
	c.userID.Append(e.UserID)
	c.userEmail.Append(e.UserEmail)
	c.userFirst.Append(e.UserFirstName)
	c.userLast.Append(e.UserLastName)
	c.eventType.Append(proto.Enum8(e.EventType))
	c.action.Append(e.Action)
	c.resource.Append(e.Resource)
	c.result.Append(proto.Enum8(e.Result))
	c.errorMessage.Append(e.ErrorMessage)
	c.ipAddress.Append(e.IPAddress)
	c.userAgent.Append(e.UserAgent)
	c.metadata.Append(e.Metadata)
	c.tenantID.Append(e.TenantID)
	c.workspaceID.Append(e.WorkspaceID)
	c.orgID.Append(e.OrganizationID)
	c.targetOrgID.Append(e.TargetOrganizationID)
	c.sessionID.Append(e.SessionID)
	c.durationMS.Append(e.DurationMS)
	c.createdAt.Append(e.CreatedAt)
}
