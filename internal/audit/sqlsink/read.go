package sqlsink

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/internal/audit"
)

// Get returns one stored event.
func (s *Sink) Get(ctx context.Context, id uuid.UUID) (audit.Event, error) {
	row, err := s.client.AuditLog.Get(ctx, id)
	if err != nil {
		return audit.Event{}, err
	}
	return toEvent(row), nil
}

func toEvent(r *ent.AuditLog) audit.Event {
	et, _ := audit.ParseEventType(string(r.EventType))
	res, _ := audit.ParseResult(string(r.Result))
	return audit.Event{
		ID: r.ID, Timestamp: r.Timestamp.UTC(), UserID: r.UserID, UserEmail: r.UserEmail,
		UserFirstName: r.UserFirstName, UserLastName: r.UserLastName, EventType: et, Action: r.Action,
		Resource: r.Resource, Result: res, ErrorMessage: r.ErrorMessage, IPAddress: r.IPAddress,
		UserAgent: r.UserAgent, Metadata: r.Metadata, TenantID: r.TenantID, WorkspaceID: r.WorkspaceID,
		OrganizationID: r.OrganizationID, SessionID: r.SessionID, DurationMS: r.DurationMs,
		CreatedAt: r.CreatedAt.UTC(),
	}
}
