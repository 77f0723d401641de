package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"github.com/google/uuid"
)

// Workspace is a project space inside an organization.
type Workspace struct{ ent.Schema }

func (Workspace) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{}, TimeMixin{}, SoftDeleteMixin{}}
}

func (Workspace) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(100),
		field.String("slug").NotEmpty().MaxLen(63),
		field.UUID("organization_id", uuid.UUID{}).Immutable(),
		field.String("description").Default("").MaxLen(1000),
		field.Bool("active").Default(true),
	}
}

func (Workspace) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("organization", Organization.Type).Ref("workspaces").Field("organization_id").Unique().Required().Immutable(),
	}
}

func (Workspace) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("organization_id", "slug").Unique().Annotations(entsql.IndexWhere(liveOnly)),
		index.Fields("name"),
	}
}
