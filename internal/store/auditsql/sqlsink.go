// Package auditsql stores audit events in the relational database (the embedded default, and
// PostgreSQL deployments without ClickHouse).
package auditsql

import (
	"context"
	"database/sql"
	"time"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/internal/app/audit"
)

// Sink writes to and reads from the audit_logs table.
type Sink struct {
	client *ent.Client
	db     *sql.DB
	ins    inserts
}

var _ audit.Sink = (*Sink)(nil)

// New builds the sink on an open store.
func New(client *ent.Client, db *sql.DB) *Sink { return &Sink{client: client, db: db} }

// Write inserts the batch; rows whose id already exists are skipped (idempotent replays).
func (s *Sink) Write(ctx context.Context, events []audit.Event) error { return s.insert(ctx, events) }

// millis stores times at the precision of ClickHouse's DateTime64(3), so both stores return
// the same timestamps and the same page cursors.
func millis(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// Ping checks the database answers.
func (s *Sink) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }
