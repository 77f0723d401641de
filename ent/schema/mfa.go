package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"github.com/google/uuid"
)

// The second factor (docs/mfa-and-sessions.md). These tables name their user by id without an
// ent edge: users are soft-deleted, never removed, and keeping User's schema untouched keeps
// this feature additive.

// UserTOTP is a user's TOTP authenticator. The shared secret is sealed with the key-encryption
// key (like signing keys), bound to the user id; MFA is on only once confirmed_at is set.
type UserTOTP struct{ ent.Schema }

func (UserTOTP) Mixin() []ent.Mixin { return []ent.Mixin{IDMixin{}} }

func (UserTOTP) Annotations() []schema.Annotation {
	return []schema.Annotation{entsql.Annotation{Table: "user_totp_factors"}}
}

func (UserTOTP) Fields() []ent.Field {
	return []ent.Field{
		field.UUID("user_id", uuid.UUID{}).Immutable(),
		field.Bytes("secret_sealed").NotEmpty().Sensitive(),
		field.Time("created_at").Default(now),
		field.Time("confirmed_at").Optional().Nillable(),
		// The highest 30 s step a code was accepted for: codes of this step or earlier are
		// refused (replay, RFC 6238 §5.2).
		field.Int64("last_step").Default(0),
	}
}

func (UserTOTP) Indexes() []ent.Index {
	return []ent.Index{index.Fields("user_id").Unique()}
}

// RecoveryCode is one single-use recovery code, stored as a SHA-256 hash (the codes carry 80
// random bits, so a fast hash is enough, as for refresh tokens).
type RecoveryCode struct{ ent.Schema }

func (RecoveryCode) Mixin() []ent.Mixin { return []ent.Mixin{IDMixin{}} }

func (RecoveryCode) Fields() []ent.Field {
	return []ent.Field{
		field.UUID("user_id", uuid.UUID{}).Immutable(),
		field.Bytes("code_hash").NotEmpty().Immutable().Sensitive(),
		field.Time("created_at").Default(now).Immutable(),
		field.Time("used_at").Optional().Nillable(),
	}
}

func (RecoveryCode) Indexes() []ent.Index {
	return []ent.Index{index.Fields("user_id", "code_hash").Unique()}
}

// MFAChallenge is the state between a right password and the second factor: the mfa_token
// (stored hashed), single use, short-lived, dead after too many wrong codes.
type MFAChallenge struct{ ent.Schema }

func (MFAChallenge) Mixin() []ent.Mixin { return []ent.Mixin{IDMixin{}} }

func (MFAChallenge) Fields() []ent.Field {
	return []ent.Field{
		field.Bytes("token_hash").NotEmpty().Immutable().Sensitive(),
		field.UUID("user_id", uuid.UUID{}).Immutable(),
		field.Time("created_at").Default(now).Immutable(),
		field.Time("expires_at").Immutable(),
		field.Int("failures").Default(0).NonNegative(),
		field.Time("used_at").Optional().Nillable(),
	}
}

func (MFAChallenge) Indexes() []ent.Index {
	return []ent.Index{index.Fields("token_hash").Unique(), index.Fields("expires_at")}
}
