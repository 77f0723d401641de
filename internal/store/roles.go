package store

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/ent/group"
	"github.com/telemetryflow/core/ent/grouprole"
	"github.com/telemetryflow/core/ent/permission"
	"github.com/telemetryflow/core/ent/predicate"
	"github.com/telemetryflow/core/ent/role"
	"github.com/telemetryflow/core/ent/rolepermission"
	"github.com/telemetryflow/core/ent/user"
	"github.com/telemetryflow/core/ent/userrole"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/domain/rbac"
)

type roles struct{ repos }

var roleUnique = unique{"": "name", "role_scope_key_name": "name", "roles.name": "name"}

var roleSorts = byCreatedOrName(func(r *ent.Role) time.Time { return r.CreatedAt }, func(r *ent.Role) string { return r.Name })

func roleID(e *ent.Role) uuid.UUID { return e.ID }

// visibleRoles: outside the All scope, global roles and those of the caller's tenant and
// organization.
func visibleRoles(s port.Scope) predicate.Role {
	if s.All {
		return role.DeletedAtIsNil()
	}
	return role.And(role.DeletedAtIsNil(), role.ScopeKeyIn(iam.GlobalScopeKey,
		iam.TenantScopeKey(s.TenantID), iam.OrganizationScopeKey(s.OrganizationID)))
}

func (r roles) Get(ctx context.Context, s port.Scope, id uuid.UUID) (*iam.Role, error) {
	return one(ctx, r.c.Role.Query().Where(visibleRoles(s), role.IDEQ(id)), "role", toRole)
}

func (r roles) List(ctx context.Context, s port.Scope, f port.RoleFilter, p port.PageRequest) (port.Page[iam.Role], error) {
	q := r.c.Role.Query().Where(visibleRoles(s))
	if f.Q != "" {
		q = q.Where(role.NameContainsFold(f.Q))
	}
	if f.Tier != nil {
		q = q.Where(role.TierEQ(*f.Tier))
	}
	if f.System != nil {
		q = q.Where(role.SystemRoleEQ(*f.System))
	}
	if f.OrganizationID != nil {
		q = q.Where(role.ScopeKeyEQ(iam.OrganizationScopeKey(*f.OrganizationID)))
	}
	return pageOf(ctx, q, p, roleSorts, roleID, r.list("roles", s, f), toRole)
}

func (r roles) Permissions(ctx context.Context, id uuid.UUID, p port.PageRequest) (port.Page[iam.PermissionGrant], error) {
	q := r.c.Permission.Query().Where(permission.DeletedAtIsNil(), permission.HasRolePermissionsWith(rolepermission.RoleIDEQ(id)))
	return grantPage(ctx, q, p, permissionSorts, permissionID, r.list("role_permissions", id),
		func(granted []uuid.UUID) ([]*ent.RolePermission, error) {
			return r.c.RolePermission.Query().Where(rolepermission.RoleIDEQ(id), rolepermission.PermissionIDIn(granted...)).All(ctx)
		},
		func(g *ent.RolePermission) (uuid.UUID, port.Assignment) {
			return g.PermissionID, port.Assignment{At: g.AssignedAt, By: g.AssignedBy}
		}, permissionGrant)
}

func (r roles) Users(ctx context.Context, s port.Scope, id uuid.UUID, p port.PageRequest) (port.Page[iam.User], error) {
	return userPage(ctx, r.c.User.Query().Where(visibleUsers(s), user.HasUserRolesWith(userrole.RoleIDEQ(id))), p,
		r.list("role_users", s, id))
}

func (r roles) Create(ctx context.Context, v *iam.Role) error {
	err := r.c.Role.Create().SetID(v.ID).SetName(v.Name).SetDescription(v.Description).SetTier(int(v.Tier)).
		SetSystemRole(v.System).SetNillableTenantID(v.Scope.TenantID).SetNillableOrganizationID(v.Scope.OrganizationID).
		SetScopeKey(v.Scope.Key()).SetCreatedAt(v.CreatedAt).SetUpdatedAt(v.UpdatedAt).Exec(ctx)
	return mapErr(err, "role", roleUnique)
}

func (r roles) Update(ctx context.Context, v *iam.Role) error {
	n, err := r.c.Role.Update().Where(role.IDEQ(v.ID), role.DeletedAtIsNil(), role.SystemRoleEQ(false)).
		SetName(v.Name).SetDescription(v.Description).SetTier(int(v.Tier)).SetUpdatedAt(v.UpdatedAt).Save(ctx)
	return affected(n, err, "role", roleUnique)
}

func (r roles) Delete(ctx context.Context, id uuid.UUID, at time.Time) error {
	return softDelete(ctx, r.c.Role.Update().Where(role.IDEQ(id), role.DeletedAtIsNil(), role.SystemRoleEQ(false)), at, "role")
}

func (r roles) Holders(ctx context.Context, id uuid.UUID) (iam.Children, error) {
	u, err := r.c.UserRole.Query().Where(userrole.RoleIDEQ(id), userrole.HasUserWith(user.DeletedAtIsNil())).Count(ctx)
	if err != nil {
		return nil, mapErr(err, "", nil)
	}
	g, err := r.c.GroupRole.Query().Where(grouprole.RoleIDEQ(id), grouprole.HasGroupWith(group.DeletedAtIsNil())).Count(ctx)
	return iam.Children{"users": u, "groups": g}, mapErr(err, "", nil)
}

func toRole(e *ent.Role) *iam.Role {
	return &iam.Role{ID: e.ID, Name: e.Name, Description: e.Description, Tier: rbac.Tier(e.Tier), System: e.SystemRole,
		Scope:     iam.RoleScope{TenantID: e.TenantID, OrganizationID: e.OrganizationID},
		CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC()}
}

func roleGrant(e *ent.Role, a port.Assignment) iam.RoleGrant {
	return iam.RoleGrant{Role: *toRole(e), AssignedAt: a.At.UTC(), AssignedBy: a.By}
}
