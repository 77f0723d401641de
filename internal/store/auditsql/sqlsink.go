// Package auditsql stores audit events in the relational database (the embedded default, and
// PostgreSQL deployments without ClickHouse).
package auditsql

import (
	"context"
	"database/sql"
	"time"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/ent/auditlog"
	"github.com/telemetryflow/core/internal/app/audit"
)

// Sink writes to and reads from the audit_logs table.
type Sink struct {
	client *ent.Client
	db     *sql.DB
}

var _ audit.Sink = (*Sink)(nil)

// New builds the sink on an open store.
func New(client *ent.Client, db *sql.DB) *Sink { return &Sink{client: client, db: db} }

// chunk keeps each INSERT under SQLite's bound-parameter limit (21 columns × 1000 = 21k < 32766).
const chunk = 1000

// Write inserts the batch; rows whose id already exists are skipped (idempotent replays).
func (s *Sink) Write(ctx context.Context, events []audit.Event) error {
	for start := 0; start < len(events); start += chunk {
		part := events[start:min(start+chunk, len(events))]
		builders := make([]*ent.AuditLogCreate, len(part))
		for i, e := range part {
			builders[i] = s.client.AuditLog.Create().
				SetID(e.ID).SetTimestamp(millis(e.Timestamp)).
				SetUserID(clean(e.UserID)).SetUserEmail(clean(e.UserEmail)).
				SetUserFirstName(clean(e.UserFirstName)).SetUserLastName(clean(e.UserLastName)).
				SetEventType(auditlog.EventType(e.EventType.String())).
				SetAction(clean(e.Action)).SetResource(clean(e.Resource)).
				SetResult(auditlog.Result(e.Result.String())).
				SetErrorMessage(clean(e.ErrorMessage)).SetIPAddress(clean(e.IPAddress)).SetUserAgent(clean(e.UserAgent)).
				SetMetadata(clean(e.Metadata)).SetTenantID(clean(e.TenantID)).SetWorkspaceID(clean(e.WorkspaceID)).
				SetOrganizationID(clean(e.OrganizationID)).SetTargetOrganizationID(clean(e.TargetOrganizationID)).
				SetSessionID(clean(e.SessionID)).
				SetDurationMs(e.DurationMS).SetCreatedAt(millis(e.CreatedAt))
		}
		if err := s.client.AuditLog.CreateBulk(builders...).OnConflictColumns(auditlog.FieldID).DoNothing().Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// millis stores times at the precision of ClickHouse's DateTime64(3), so both stores return
// the same timestamps and the same page cursors.
func millis(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// Ping checks the database answers.
func (s *Sink) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }
