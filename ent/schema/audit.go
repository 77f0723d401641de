package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"github.com/google/uuid"
)

// AuditLog is the SQL audit sink's table for the embedded default (and PostgreSQL without
// ClickHouse). Its columns are the seed's AUDIT_LOGS columns, one for one, plus
// target_organization_id (the organization an action was done to; docs/audit.md).
type AuditLog struct{ ent.Schema }

func (AuditLog) Fields() []ent.Field {
	return []ent.Field{
		// Set by the producer so a replayed event keeps its identity (idempotent inserts).
		field.UUID("id", uuid.UUID{}).Immutable(),
		field.Time("timestamp").Immutable(),
		field.String("user_id").Default("").Immutable(),
		field.String("user_email").Default("").Immutable(),
		field.String("user_first_name").Default("").Immutable(),
		field.String("user_last_name").Default("").Immutable(),
		field.Enum("event_type").Values("AUTH", "AUTHZ", "DATA", "SYSTEM").Immutable(),
		field.String("action").Default("").Immutable(),
		field.String("resource").Default("").Immutable(),
		field.Enum("result").Values("SUCCESS", "FAILURE", "DENIED").Immutable(),
		field.String("error_message").Default("").Immutable(),
		field.String("ip_address").Default("").Immutable(),
		field.String("user_agent").Default("").Immutable(),
		field.Text("metadata").Default("{}").Immutable(),
		field.String("tenant_id").Default("").Immutable(),
		field.String("workspace_id").Default("").Immutable(),
		field.String("organization_id").Default("").Immutable(),
		field.String("session_id").Default("").Immutable(),
		field.Uint32("duration_ms").Default(0).Immutable(),
		field.Time("created_at").Default(now).Immutable(),
		field.String("target_organization_id").Default("").Immutable(),
	}
}

func (AuditLog) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("timestamp", "id"),
		index.Fields("user_id", "timestamp"),
		index.Fields("organization_id", "timestamp"),
		index.Fields("target_organization_id", "timestamp"),
		index.Fields("tenant_id", "timestamp"),
		index.Fields("action", "timestamp"),
		index.Fields("session_id"),
	}
}
