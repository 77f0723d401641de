package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"github.com/google/uuid"
)

// Group collects users of one organization; roles granted to a group reach all its members.
type Group struct{ ent.Schema }

func (Group) Mixin() []ent.Mixin {
	return []ent.Mixin{IDMixin{}, TimeMixin{}, SoftDeleteMixin{}}
}

func (Group) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(100),
		field.String("description").Default("").MaxLen(1000),
		field.UUID("organization_id", uuid.UUID{}).Immutable(),
	}
}

func (Group) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("organization", Organization.Type).Ref("groups").Field("organization_id").Unique().Required().Immutable(),
		edge.To("members", User.Type).Through("group_members", GroupMember.Type),
		edge.To("roles", Role.Type).Through("group_roles", GroupRole.Type),
	}
}

func (Group) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("organization_id", "name").Unique().Annotations(entsql.IndexWhere(liveOnly)),
	}
}
