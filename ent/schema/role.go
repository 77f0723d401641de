package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"github.com/google/uuid"
)

// Role bundles permissions at one of five tiers (1 = super_administrator … 5 = demo).
// A role is global (no tenant, no organization), tenant-wide, or owned by one organization.
type Role struct{ ent.Schema }

func (Role) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{}, TimeMixin{}, SoftDeleteMixin{}}
}

func (Role) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(100),
		field.String("description").Default("").MaxLen(1000),
		field.Int("tier").Range(1, 5),
		field.Bool("system_role").Default(false).Immutable(),
		field.UUID("tenant_id", uuid.UUID{}).Optional().Nillable().Immutable(),
		field.UUID("organization_id", uuid.UUID{}).Optional().Nillable().Immutable(),
		// "global", "t:<tenant id>" or "o:<organization id>": one non-null column makes
		// "name unique per scope" a plain partial unique index on every dialect.
		field.String("scope_key").NotEmpty().Immutable(),
	}
}

func (Role) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("tenant", Tenant.Type).Ref("roles").Field("tenant_id").Unique().Immutable(),
		edge.From("organization", Organization.Type).Ref("roles").Field("organization_id").Unique().Immutable(),
		edge.To("permissions", Permission.Type).Through("role_permissions", RolePermission.Type),
		edge.From("users", User.Type).Ref("roles").Through("user_roles", UserRole.Type),
		edge.From("groups", Group.Type).Ref("roles").Through("group_roles", GroupRole.Type),
	}
}

func (Role) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("scope_key", "name").Unique().Annotations(entsql.IndexWhere(liveOnly)),
		index.Fields("tier"),
	}
}
