package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"github.com/google/uuid"
)

// APIKey is a personal access token of one user (human or service account). Only a keyed hash
// of the secret is stored (internal/crypto/apikey); the token is shown once, at creation.
type APIKey struct{ ent.Schema }

func (APIKey) Mixin() []ent.Mixin { return []ent.Mixin{IDMixin{}} }

func (APIKey) Fields() []ent.Field {
	return []ent.Field{
		field.UUID("user_id", uuid.UUID{}).Immutable(),
		field.String("name").NotEmpty().MaxLen(100),
		// The token's first characters, shown in lists and audit rows so a leaked token can be
		// recognised without storing it.
		field.String("prefix").NotEmpty().MaxLen(16).Immutable(),
		field.Bytes("secret_hash").NotEmpty().Immutable().Sensitive(),
		// The permission names the key is narrowed to; NULL: the owner's full permissions.
		field.Strings("permissions").Optional().Immutable(),
		field.Time("created_at").Default(now).Immutable(),
		field.Time("expires_at").Optional().Nillable().Immutable(),
		// Updated at most once a minute per key (coalesced), never per request.
		field.Time("last_used_at").Optional().Nillable(),
		field.Time("revoked_at").Optional().Nillable(),
	}
}

func (APIKey) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("user", User.Type).Ref("api_keys").Field("user_id").Unique().Required().Immutable(),
	}
}

func (APIKey) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("secret_hash").Unique(),
		index.Fields("user_id", "revoked_at"),
	}
}
