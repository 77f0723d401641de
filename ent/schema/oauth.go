package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"github.com/google/uuid"
)

// ClientSecret is one OAuth2 client secret of a service account. Only a keyed hash
// (HMAC-SHA-256 with a server key) is stored: the secret is 256 random bits, so a fast hash
// is as strong as a slow one and keeps client authentication cheap (docs/machine-identities.md).
type ClientSecret struct{ ent.Schema }

func (ClientSecret) Mixin() []ent.Mixin { return []ent.Mixin{IDMixin{}} }

func (ClientSecret) Fields() []ent.Field {
	return []ent.Field{
		field.UUID("user_id", uuid.UUID{}).Immutable(),
		field.Bytes("secret_hash").NotEmpty().Immutable().Sensitive(),
		field.String("description").Default("").MaxLen(500).Immutable(),
		field.Time("created_at").Default(now).Immutable(),
		field.Time("expires_at").Optional().Nillable().Immutable(),
		field.Time("last_used_at").Optional().Nillable(),
		field.Time("revoked_at").Optional().Nillable(),
	}
}

func (ClientSecret) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("user", User.Type).Ref("client_secrets").Field("user_id").Unique().Required().Immutable(),
	}
}

func (ClientSecret) Indexes() []ent.Index {
	return []ent.Index{index.Fields("user_id", "revoked_at")}
}

// ClientKey is a public key (JWK) a service account signs private_key_jwt assertions with
// (RFC 7523).
type ClientKey struct{ ent.Schema }

func (ClientKey) Mixin() []ent.Mixin { return []ent.Mixin{IDMixin{}} }

func (ClientKey) Fields() []ent.Field {
	return []ent.Field{
		field.UUID("user_id", uuid.UUID{}).Immutable(),
		// kid as the client names it in its assertions' header (may be empty: any key matches).
		field.String("kid").Default("").MaxLen(200).Immutable(),
		field.String("algorithm").NotEmpty().MaxLen(16).Immutable(),
		// The public JWK as registered (JSON), never a private key.
		field.Bytes("jwk").NotEmpty().Immutable(),
		field.Time("created_at").Default(now).Immutable(),
		field.Time("expires_at").Optional().Nillable().Immutable(),
		field.Time("revoked_at").Optional().Nillable(),
	}
}

func (ClientKey) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("user", User.Type).Ref("client_keys").Field("user_id").Unique().Required().Immutable(),
	}
}

func (ClientKey) Indexes() []ent.Index {
	return []ent.Index{index.Fields("user_id", "revoked_at")}
}

// UsedAssertion remembers the jti of a private_key_jwt assertion until it expires, so each is
// accepted once (RFC 7523 §3).
type UsedAssertion struct{ ent.Schema }

func (UsedAssertion) Fields() []ent.Field {
	return []ent.Field{
		// client id and jti, joined: jti is unique per issuer only.
		field.String("id").NotEmpty().MaxLen(400).Immutable(),
		field.Time("expires_at").Immutable(),
	}
}

func (UsedAssertion) Indexes() []ent.Index {
	return []ent.Index{index.Fields("expires_at")}
}
