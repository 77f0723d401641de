// Package schema is the single source of truth for TelemetryFlow Core's relational data.
// Everything under ent/ except this directory is generated from it.
package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/mixin"
	"github.com/google/uuid"
)

// NewID returns a time-ordered UUID (v7) so primary-key indexes stay append-mostly.
func NewID() uuid.UUID { return uuid.Must(uuid.NewV7()) }

// IDMixin gives an entity a UUID v7 primary key.
type IDMixin struct{ mixin.Schema }

func (IDMixin) Fields() []ent.Field {
	return []ent.Field{
		field.UUID("id", uuid.UUID{}).Default(NewID).Immutable(),
	}
}

// TimeMixin records creation and last modification.
type TimeMixin struct{ mixin.Schema }

func (TimeMixin) Fields() []ent.Field {
	return []ent.Field{
		field.Time("created_at").Default(now).Immutable(),
		field.Time("updated_at").Default(now).UpdateDefault(now),
	}
}

// SoftDeleteMixin marks rows deleted without removing them; the API never shows such rows and
// unique keys are enforced on live rows only (partial indexes with liveOnly).
type SoftDeleteMixin struct{ mixin.Schema }

func (SoftDeleteMixin) Fields() []ent.Field {
	return []ent.Field{
		field.Time("deleted_at").Optional().Nillable(),
	}
}

// liveOnly is the predicate of every unique index on soft-deletable tables.
const liveOnly = "deleted_at IS NULL"

// Times are stored in UTC so SQLite and PostgreSQL compare them the same way.
func now() time.Time { return time.Now().UTC() }
