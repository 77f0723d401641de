package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Region is a geographic placement for tenants (e.g. us-east).
type Region struct{ ent.Schema }

func (Region) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{}, TimeMixin{}, SoftDeleteMixin{}}
}

func (Region) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(100),
		field.String("code").NotEmpty().MaxLen(50),
		field.String("description").Default("").MaxLen(1000),
		field.Bool("active").Default(true),
	}
}

func (Region) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("tenants", Tenant.Type),
	}
}

func (Region) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("code").Unique().Annotations(entsql.IndexWhere(liveOnly)),
		index.Fields("name"),
	}
}
