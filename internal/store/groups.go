package store

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/ent/group"
	"github.com/telemetryflow/core/ent/groupmember"
	"github.com/telemetryflow/core/ent/grouprole"
	"github.com/telemetryflow/core/ent/predicate"
	"github.com/telemetryflow/core/ent/role"
	"github.com/telemetryflow/core/ent/user"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

type groups struct{ repos }

var groupUnique = unique{"": "name", "group_organization_id_name": "name", "groups.name": "name"}

var groupSorts = byCreatedOrName(func(g *ent.Group) time.Time { return g.CreatedAt }, func(g *ent.Group) string { return g.Name })

// visible: outside the All scope, the groups of the caller's organization.
func (groups) visible(s port.Scope) predicate.Group {
	return visible[predicate.Group](s, group.FieldOrganizationID, s.OrganizationID)
}

func (r groups) Get(ctx context.Context, s port.Scope, id uuid.UUID) (*iam.Group, error) {
	return one(ctx, r.c.Group.Query().Where(r.visible(s), group.IDEQ(id)), "group", toGroup)
}

func (r groups) List(ctx context.Context, s port.Scope, f port.GroupFilter, p port.PageRequest) (port.Page[iam.Group], error) {
	q := r.c.Group.Query().Where(r.visible(s))
	if f.Q != "" {
		q = q.Where(group.NameContainsFold(f.Q))
	}
	if f.OrganizationID != nil {
		q = q.Where(group.OrganizationIDEQ(*f.OrganizationID))
	}
	return pageOf(ctx, q, p, groupSorts, func(e *ent.Group) uuid.UUID { return e.ID }, r.list("groups", s, f), toGroup)
}

func (r groups) Members(ctx context.Context, id uuid.UUID, p port.PageRequest) (port.Page[iam.User], error) {
	return userPage(ctx, r.c.User.Query().Where(user.DeletedAtIsNil(), user.HasGroupMembersWith(groupmember.GroupIDEQ(id))), p,
		r.list("group_members", id))
}

func (r groups) Roles(ctx context.Context, id uuid.UUID, p port.PageRequest) (port.Page[iam.RoleGrant], error) {
	q := r.c.Role.Query().Where(role.DeletedAtIsNil(), role.HasGroupRolesWith(grouprole.GroupIDEQ(id)))
	return grantPage(ctx, q, p, roleSorts, roleID, r.list("group_roles", id),
		func(granted []uuid.UUID) ([]*ent.GroupRole, error) {
			return r.c.GroupRole.Query().Where(grouprole.GroupIDEQ(id), grouprole.RoleIDIn(granted...)).All(ctx)
		},
		func(g *ent.GroupRole) (uuid.UUID, port.Assignment) {
			return g.RoleID, port.Assignment{At: g.AssignedAt, By: g.AssignedBy}
		}, roleGrant)
}

func (r groups) Create(ctx context.Context, v *iam.Group) error {
	err := r.c.Group.Create().SetID(v.ID).SetName(v.Name).SetDescription(v.Description).
		SetOrganizationID(v.OrganizationID).SetCreatedAt(v.CreatedAt).SetUpdatedAt(v.UpdatedAt).Exec(ctx)
	return mapErr(err, "group", groupUnique)
}

func (r groups) Update(ctx context.Context, v *iam.Group) error {
	n, err := r.c.Group.Update().Where(group.IDEQ(v.ID), group.DeletedAtIsNil()).SetName(v.Name).
		SetDescription(v.Description).SetUpdatedAt(v.UpdatedAt).Save(ctx)
	return affected(n, err, "group", groupUnique)
}

// Delete ends the group's memberships and role grants with it (the one documented cascade)
// and reports them, because afterwards nothing in the store remembers who was affected.
func (r groups) Delete(ctx context.Context, id uuid.UUID, at time.Time) (members, roleIDs []uuid.UUID, err error) {
	ms, err := r.c.GroupMember.Query().Where(groupmember.GroupIDEQ(id)).All(ctx)
	if err != nil {
		return nil, nil, mapErr(err, "", nil)
	}
	rs, err := r.c.GroupRole.Query().Where(grouprole.GroupIDEQ(id)).All(ctx)
	if err != nil {
		return nil, nil, mapErr(err, "", nil)
	}
	members = ids(ms, func(m *ent.GroupMember) uuid.UUID { return m.UserID })
	roleIDs = ids(rs, func(g *ent.GroupRole) uuid.UUID { return g.RoleID })
	if _, err := r.c.GroupMember.Delete().Where(groupmember.GroupIDEQ(id)).Exec(ctx); err != nil {
		return nil, nil, mapErr(err, "", nil)
	}
	if _, err := r.c.GroupRole.Delete().Where(grouprole.GroupIDEQ(id)).Exec(ctx); err != nil {
		return nil, nil, mapErr(err, "", nil)
	}
	return members, roleIDs, softDelete(ctx, r.c.Group.Update().Where(group.IDEQ(id), group.DeletedAtIsNil()), at, "group")
}

func toGroup(e *ent.Group) *iam.Group {
	return &iam.Group{ID: e.ID, Name: e.Name, Description: e.Description, OrganizationID: e.OrganizationID,
		CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC()}
}
