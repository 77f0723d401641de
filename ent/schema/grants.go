package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"entgo.io/ent/schema/mixin"
	"github.com/google/uuid"
)

// The join tables below carry who granted what and when, because compliance asks exactly that.
// A revocation deletes the row; the audit log keeps the history.

// GrantMixin records the moment and author of an assignment.
type GrantMixin struct{ mixin.Schema }

func (GrantMixin) Fields() []ent.Field {
	return []ent.Field{
		field.Time("assigned_at").Default(now).Immutable(),
		// Null for grants made by the system itself (seed, bootstrap).
		field.UUID("assigned_by", uuid.UUID{}).Optional().Nillable().Immutable(),
	}
}

// UserRole assigns a role to a user.
type UserRole struct{ ent.Schema }

func (UserRole) Annotations() []schema.Annotation {
	return []schema.Annotation{field.ID("user_id", "role_id")}
}
func (UserRole) Mixin() []ent.Mixin { return []ent.Mixin{GrantMixin{}} }
func (UserRole) Fields() []ent.Field {
	return []ent.Field{field.UUID("user_id", uuid.UUID{}), field.UUID("role_id", uuid.UUID{})}
}
func (UserRole) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("user", User.Type).Unique().Required().Field("user_id"),
		edge.To("role", Role.Type).Unique().Required().Field("role_id"),
	}
}
func (UserRole) Indexes() []ent.Index { return []ent.Index{index.Fields("role_id")} }

// UserPermission grants a permission to a user directly.
type UserPermission struct{ ent.Schema }

func (UserPermission) Annotations() []schema.Annotation {
	return []schema.Annotation{field.ID("user_id", "permission_id")}
}
func (UserPermission) Mixin() []ent.Mixin { return []ent.Mixin{GrantMixin{}} }
func (UserPermission) Fields() []ent.Field {
	return []ent.Field{field.UUID("user_id", uuid.UUID{}), field.UUID("permission_id", uuid.UUID{})}
}
func (UserPermission) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("user", User.Type).Unique().Required().Field("user_id"),
		edge.To("permission", Permission.Type).Unique().Required().Field("permission_id"),
	}
}
func (UserPermission) Indexes() []ent.Index { return []ent.Index{index.Fields("permission_id")} }

// RolePermission puts a permission into a role.
type RolePermission struct{ ent.Schema }

func (RolePermission) Annotations() []schema.Annotation {
	return []schema.Annotation{field.ID("role_id", "permission_id")}
}
func (RolePermission) Mixin() []ent.Mixin { return []ent.Mixin{GrantMixin{}} }
func (RolePermission) Fields() []ent.Field {
	return []ent.Field{field.UUID("role_id", uuid.UUID{}), field.UUID("permission_id", uuid.UUID{})}
}
func (RolePermission) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("role", Role.Type).Unique().Required().Field("role_id"),
		edge.To("permission", Permission.Type).Unique().Required().Field("permission_id"),
	}
}
func (RolePermission) Indexes() []ent.Index { return []ent.Index{index.Fields("permission_id")} }

// GroupMember puts a user into a group.
type GroupMember struct{ ent.Schema }

func (GroupMember) Annotations() []schema.Annotation {
	return []schema.Annotation{field.ID("group_id", "user_id")}
}
func (GroupMember) Mixin() []ent.Mixin { return []ent.Mixin{GrantMixin{}} }
func (GroupMember) Fields() []ent.Field {
	return []ent.Field{field.UUID("group_id", uuid.UUID{}), field.UUID("user_id", uuid.UUID{})}
}
func (GroupMember) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("group", Group.Type).Unique().Required().Field("group_id"),
		edge.To("user", User.Type).Unique().Required().Field("user_id"),
	}
}
func (GroupMember) Indexes() []ent.Index { return []ent.Index{index.Fields("user_id")} }

// GroupRole grants a role to every member of a group.
type GroupRole struct{ ent.Schema }

func (GroupRole) Annotations() []schema.Annotation {
	return []schema.Annotation{field.ID("group_id", "role_id")}
}
func (GroupRole) Mixin() []ent.Mixin { return []ent.Mixin{GrantMixin{}} }
func (GroupRole) Fields() []ent.Field {
	return []ent.Field{field.UUID("group_id", uuid.UUID{}), field.UUID("role_id", uuid.UUID{})}
}
func (GroupRole) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("group", Group.Type).Unique().Required().Field("group_id"),
		edge.To("role", Role.Type).Unique().Required().Field("role_id"),
	}
}
func (GroupRole) Indexes() []ent.Index { return []ent.Index{index.Fields("role_id")} }
