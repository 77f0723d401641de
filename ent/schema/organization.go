package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"github.com/google/uuid"
)

// Organization is a business unit inside a tenant and the default authorization scope.
type Organization struct{ ent.Schema }

func (Organization) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{}, TimeMixin{}, SoftDeleteMixin{}}
}

func (Organization) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(100),
		field.String("slug").NotEmpty().MaxLen(63),
		field.UUID("tenant_id", uuid.UUID{}).Immutable(),
		field.String("description").Default("").MaxLen(1000),
		field.String("domain").Optional().Nillable().MaxLen(253),
		field.Bool("active").Default(true),
		// Users of the organization must have a second factor (docs/mfa-and-sessions.md).
		field.Bool("require_mfa").Default(false),
	}
}

func (Organization) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("tenant", Tenant.Type).Ref("organizations").Field("tenant_id").Unique().Required().Immutable(),
		edge.To("workspaces", Workspace.Type),
		edge.To("users", User.Type),
		edge.To("groups", Group.Type),
		edge.To("roles", Role.Type),
	}
}

func (Organization) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("tenant_id", "slug").Unique().Annotations(entsql.IndexWhere(liveOnly)),
		index.Fields("name"),
	}
}
