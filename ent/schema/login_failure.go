package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// LoginFailure counts failed logins against one email from one client (an IPv4 address or an
// IPv6 /64), so that one address can lock itself out of an account without locking anyone
// else out. The row with client "*" is the account-wide count of an email that has no account
// (its phantom lockout); real accounts keep that count on the user row. Counts change only
// through one atomic upsert per failure (internal/store/loginfailures.go).
type LoginFailure struct{ ent.Schema }

func (LoginFailure) Mixin() []ent.Mixin { return []ent.Mixin{IDMixin{}} }

func (LoginFailure) Fields() []ent.Field {
	return []ent.Field{
		// Hex SHA-256 of the lower-cased email: the same key whether or not the account exists.
		field.String("account").NotEmpty().MaxLen(64).Immutable(),
		field.String("client").NotEmpty().MaxLen(64).Immutable(),
		field.Int("failures").Default(0).NonNegative(),
		field.Time("locked_until").Optional().Nillable(),
		field.Time("last_failed_at"),
	}
}

func (LoginFailure) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("account", "client").Unique(),
		// Rows idle for the lockout duration mean nothing any more and are pruned.
		index.Fields("last_failed_at"),
	}
}
