package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Permission is one `resource:action` capability.
type Permission struct{ ent.Schema }

func (Permission) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{}, TimeMixin{}, SoftDeleteMixin{}}
}

func (Permission) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(101),
		field.String("resource").NotEmpty().MaxLen(50),
		field.String("action").NotEmpty().MaxLen(50),
		field.String("description").Default("").MaxLen(1000),
		field.Bool("system").Default(false).Immutable(),
	}
}

func (Permission) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("roles", Role.Type).Ref("permissions").Through("role_permissions", RolePermission.Type),
		edge.From("users", User.Type).Ref("permissions").Through("user_permissions", UserPermission.Type),
	}
}

func (Permission) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("name").Unique().Annotations(entsql.IndexWhere(liveOnly)),
		index.Fields("resource", "action"),
	}
}
