package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"github.com/google/uuid"
)

// Tenant is the top-level customer boundary; it lives in one region.
type Tenant struct{ ent.Schema }

func (Tenant) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{}, TimeMixin{}, SoftDeleteMixin{}}
}

func (Tenant) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(100),
		field.String("slug").NotEmpty().MaxLen(63),
		field.UUID("region_id", uuid.UUID{}).Immutable(),
		field.String("description").Default("").MaxLen(1000),
		field.Bool("active").Default(true),
	}
}

func (Tenant) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("region", Region.Type).Ref("tenants").Field("region_id").Unique().Required().Immutable(),
		edge.To("organizations", Organization.Type),
		edge.To("roles", Role.Type),
	}
}

func (Tenant) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("slug").Unique().Annotations(entsql.IndexWhere(liveOnly)),
		index.Fields("region_id"),
		index.Fields("name"),
	}
}
