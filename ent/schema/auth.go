package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"github.com/google/uuid"
)

// Session is one login; access tokens carry its id (sid) so revoking it ends them all.
type Session struct{ ent.Schema }

func (Session) Mixin() []ent.Mixin { return []ent.Mixin{IDMixin{}} }

func (Session) Fields() []ent.Field {
	return []ent.Field{
		field.UUID("user_id", uuid.UUID{}).Immutable(),
		field.Time("created_at").Default(now).Immutable(),
		// Absolute end of the session, whatever the refresh activity.
		field.Time("expires_at"),
		field.Time("last_seen_at").Default(now),
		field.Time("revoked_at").Optional().Nillable(),
		field.String("revoke_reason").Default("").MaxLen(100),
		field.String("ip_address").Default("").MaxLen(64),
		field.String("user_agent").Default("").MaxLen(512),
		// How the session's user authenticated (RFC 8176 values, comma-separated): "pwd",
		// "pwd,otp,mfa" or "pwd,mfa"; access tokens of the session carry it as `amr`.
		field.String("amr").Default("pwd").MaxLen(64),
		// An OAuth2 client_credentials grant opens a session too: client_id names the service
		// account's credential (a secret or key id) and scope the space-separated permissions the
		// tokens are narrowed to ("" = not narrowed).
		field.String("client_id").Default("").MaxLen(100),
		field.String("scope").Default("").MaxLen(8000),
	}
}

func (Session) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("user", User.Type).Ref("sessions").Field("user_id").Unique().Required().Immutable(),
		edge.To("refresh_tokens", RefreshToken.Type),
	}
}

func (Session) Indexes() []ent.Index {
	return []ent.Index{index.Fields("user_id", "revoked_at")}
}

// RefreshToken is stored only as a SHA-256 hash; each is single use and rotates.
type RefreshToken struct{ ent.Schema }

func (RefreshToken) Mixin() []ent.Mixin { return []ent.Mixin{IDMixin{}} }

func (RefreshToken) Fields() []ent.Field {
	return []ent.Field{
		field.Bytes("token_hash").NotEmpty().Immutable().Sensitive(),
		field.UUID("session_id", uuid.UUID{}).Immutable(),
		// All tokens rotated from one login share a family; reuse of any spent member revokes it.
		field.UUID("family", uuid.UUID{}).Immutable(),
		field.Time("created_at").Default(now).Immutable(),
		field.Time("used_at").Optional().Nillable(),
		field.Time("expires_at").Immutable(),
	}
}

func (RefreshToken) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("session", Session.Type).Ref("refresh_tokens").Field("session_id").Unique().Required().Immutable(),
	}
}

func (RefreshToken) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("token_hash").Unique(),
		index.Fields("session_id"),
	}
}

// SigningKey is an Ed25519 key pair for access tokens. The private half is stored sealed
// (encrypted with a key-encryption key that is not in the database).
type SigningKey struct{ ent.Schema }

func (SigningKey) Mixin() []ent.Mixin { return []ent.Mixin{IDMixin{}} }

func (SigningKey) Fields() []ent.Field {
	return []ent.Field{
		field.String("kid").NotEmpty().MaxLen(64).Immutable(),
		field.String("algorithm").NotEmpty().MaxLen(16).Immutable(),
		field.Bytes("public_key").NotEmpty().Immutable(),
		field.Bytes("private_key_sealed").NotEmpty().Sensitive().Immutable(),
		field.Time("created_at").Default(now).Immutable(),
		field.Time("not_before"),
		// Once retired a key signs nothing new but stays published until its tokens expire.
		field.Time("retired_at").Optional().Nillable(),
	}
}

func (SigningKey) Indexes() []ent.Index {
	return []ent.Index{index.Fields("kid").Unique()}
}

// OutboxEvent is a domain event written in the same transaction as the change it describes,
// then dispatched to subscribers after commit (at least once).
type OutboxEvent struct{ ent.Schema }

func (OutboxEvent) Mixin() []ent.Mixin { return []ent.Mixin{IDMixin{}} }

func (OutboxEvent) Fields() []ent.Field {
	return []ent.Field{
		field.String("event_type").NotEmpty().MaxLen(100).Immutable(),
		field.Int("event_version").Positive().Immutable(),
		field.String("aggregate_type").NotEmpty().MaxLen(50).Immutable(),
		field.String("aggregate_id").NotEmpty().MaxLen(100).Immutable(),
		field.Bytes("payload").Immutable(),
		field.Time("occurred_at").Default(now).Immutable(),
		field.Time("dispatched_at").Optional().Nillable(),
		field.Int("attempts").Default(0).NonNegative(),
		field.String("last_error").Default("").MaxLen(2000),
	}
}

func (OutboxEvent) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("occurred_at").Annotations(entsql.IndexWhere("dispatched_at IS NULL")).StorageKey("outboxevent_pending"),
	}
}
