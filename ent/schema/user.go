package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"github.com/google/uuid"
)

// User is a person or system that logs in. Lifecycle: created → active ⇄ inactive → deleted.
type User struct{ ent.Schema }

func (User) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{}, TimeMixin{}, SoftDeleteMixin{}}
}

func (User) Fields() []ent.Field {
	return []ent.Field{
		// Stored lower-cased by the domain layer so uniqueness is case-insensitive on every dialect.
		field.String("email").NotEmpty().MaxLen(254),
		// argon2id PHC string; Sensitive keeps it out of ent's String() and debug output. Empty
		// for a service account, which no password matches.
		field.String("password_hash").Sensitive().Default(""),
		field.String("first_name").Default("").MaxLen(100),
		field.String("last_name").Default("").MaxLen(100),
		field.UUID("organization_id", uuid.UUID{}).Immutable(),
		field.Enum("status").Values("created", "active", "inactive", "deleted").Default("created"),
		field.Time("last_login_at").Optional().Nillable(),
		// Account-wide failure count and lock (TF_ACCOUNT_LOCKOUT_THRESHOLD); last_failed_login_at
		// lets a count idle for the lockout duration start afresh.
		field.Int("failed_login_count").Default(0).NonNegative(),
		field.Time("locked_until").Optional().Nillable(),
		field.Time("last_failed_login_at").Optional().Nillable(),
		field.Time("password_changed_at").Optional().Nillable(),
		// human logs in with a password; service is a machine identity (docs/machine-identities.md):
		// it never has a password (password_hash stays empty) and authenticates as an OAuth2 client.
		field.Enum("kind").Values("human", "service").Default("human"),
		field.String("description").Default("").MaxLen(1000),
	}
}

func (User) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("organization", Organization.Type).Ref("users").Field("organization_id").Unique().Required().Immutable(),
		edge.To("roles", Role.Type).Through("user_roles", UserRole.Type),
		edge.To("permissions", Permission.Type).Through("user_permissions", UserPermission.Type),
		edge.From("groups", Group.Type).Ref("members").Through("group_members", GroupMember.Type),
		edge.To("sessions", Session.Type),
		edge.To("api_keys", APIKey.Type),
		edge.To("client_secrets", ClientSecret.Type),
		edge.To("client_keys", ClientKey.Type),
	}
}

func (User) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("email").Unique().Annotations(entsql.IndexWhere(liveOnly)),
		index.Fields("organization_id", "status"),
		index.Fields("status"),
		index.Fields("kind", "created_at", "id").Annotations(entsql.IndexWhere(liveOnly)).StorageKey("user_live_kind_created_at_id"),
		// Lists sort by created_at with id as tie-breaker and page by keyset; these serve the
		// global list and the per-organization list (and its count) without sorting.
		index.Fields("created_at", "id").Annotations(entsql.IndexWhere(liveOnly)).StorageKey("user_live_created_at_id"),
		index.Fields("organization_id", "created_at", "id").Annotations(entsql.IndexWhere(liveOnly)).StorageKey("user_live_organization_created_at_id"),
	}
}
