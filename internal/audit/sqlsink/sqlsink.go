// Package sqlsink stores audit events in the relational database (the embedded default, and
// PostgreSQL deployments without ClickHouse).
package sqlsink

import (
	"context"
	"database/sql"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/ent/auditlog"
	"github.com/telemetryflow/core/internal/audit"
)

// Sink writes to the audit_logs table.
type Sink struct {
	client *ent.Client
	db     *sql.DB
}

var _ audit.Sink = (*Sink)(nil)

// New builds the sink on an open store.
func New(client *ent.Client, db *sql.DB) *Sink { return &Sink{client: client, db: db} }

// chunk keeps each INSERT under SQLite's bound-parameter limit (20 columns × 1000 = 20k < 32766).
const chunk = 1000

// Write inserts the batch; rows whose id already exists are skipped (idempotent replays).
func (s *Sink) Write(ctx context.Context, events []audit.Event) error {
	for start := 0; start < len(events); start += chunk {
		part := events[start:min(start+chunk, len(events))]
		builders := make([]*ent.AuditLogCreate, len(part))
		for i, e := range part {
			builders[i] = s.client.AuditLog.Create().
				SetID(e.ID).SetTimestamp(e.Timestamp.UTC()).
				SetUserID(e.UserID).SetUserEmail(e.UserEmail).
				SetUserFirstName(e.UserFirstName).SetUserLastName(e.UserLastName).
				SetEventType(auditlog.EventType(e.EventType.String())).
				SetAction(e.Action).SetResource(e.Resource).
				SetResult(auditlog.Result(e.Result.String())).
				SetErrorMessage(e.ErrorMessage).SetIPAddress(e.IPAddress).SetUserAgent(e.UserAgent).
				SetMetadata(e.Metadata).SetTenantID(e.TenantID).SetWorkspaceID(e.WorkspaceID).
				SetOrganizationID(e.OrganizationID).SetSessionID(e.SessionID).
				SetDurationMs(e.DurationMS).SetCreatedAt(e.CreatedAt.UTC())
		}
		if err := s.client.AuditLog.CreateBulk(builders...).OnConflictColumns(auditlog.FieldID).DoNothing().Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// Ping checks the database answers.
func (s *Sink) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }
