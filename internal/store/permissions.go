package store

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/ent/permission"
	"github.com/telemetryflow/core/ent/role"
	"github.com/telemetryflow/core/ent/rolepermission"
	"github.com/telemetryflow/core/ent/user"
	"github.com/telemetryflow/core/ent/userpermission"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

type permissions struct{ repos }

var permissionUnique = unique{"": "name", "permission_name": "name", "permissions.name": "name"}

var permissionSorts = byCreatedOrName(func(p *ent.Permission) time.Time { return p.CreatedAt }, func(p *ent.Permission) string { return p.Name })

func permissionID(e *ent.Permission) uuid.UUID { return e.ID }

func (r permissions) Get(ctx context.Context, id uuid.UUID) (*iam.Permission, error) {
	return one(ctx, r.c.Permission.Query().Where(permission.DeletedAtIsNil(), permission.IDEQ(id)), "permission", toPermission)
}

func (r permissions) List(ctx context.Context, f port.PermissionFilter, p port.PageRequest) (port.Page[iam.Permission], error) {
	q := r.c.Permission.Query().Where(permission.DeletedAtIsNil())
	if f.Q != "" {
		q = q.Where(permission.NameContainsFold(f.Q))
	}
	if f.Resource != "" {
		q = q.Where(permission.ResourceEQ(f.Resource))
	}
	if f.Action != "" {
		q = q.Where(permission.ActionEQ(f.Action))
	}
	if f.System != nil {
		q = q.Where(permission.SystemEQ(*f.System))
	}
	return pageOf(ctx, q, p, permissionSorts, permissionID, r.list("permissions", f), toPermission)
}

func (r permissions) Create(ctx context.Context, v *iam.Permission) error {
	err := r.c.Permission.Create().SetID(v.ID).SetName(v.Name).SetResource(v.Resource).SetAction(v.Action).
		SetDescription(v.Description).SetSystem(v.System).SetCreatedAt(v.CreatedAt).SetUpdatedAt(v.UpdatedAt).Exec(ctx)
	return mapErr(err, "permission", permissionUnique)
}

func (r permissions) Update(ctx context.Context, v *iam.Permission) error {
	n, err := r.c.Permission.Update().Where(permission.IDEQ(v.ID), permission.DeletedAtIsNil(), permission.SystemEQ(false)).
		SetDescription(v.Description).SetUpdatedAt(v.UpdatedAt).Save(ctx)
	return affected(n, err, "permission", permissionUnique)
}

func (r permissions) Delete(ctx context.Context, id uuid.UUID, at time.Time) error {
	return softDelete(ctx, r.c.Permission.Update().Where(permission.IDEQ(id), permission.DeletedAtIsNil(), permission.SystemEQ(false)), at, "permission")
}

func (r permissions) Holders(ctx context.Context, id uuid.UUID) (iam.Children, error) {
	rs, err := r.c.RolePermission.Query().Where(rolepermission.PermissionIDEQ(id), rolepermission.HasRoleWith(role.DeletedAtIsNil())).Count(ctx)
	if err != nil {
		return nil, mapErr(err, "", nil)
	}
	us, err := r.c.UserPermission.Query().Where(userpermission.PermissionIDEQ(id), userpermission.HasUserWith(user.DeletedAtIsNil())).Count(ctx)
	return iam.Children{"roles": rs, "users": us}, mapErr(err, "", nil)
}

func toPermission(e *ent.Permission) *iam.Permission {
	return &iam.Permission{ID: e.ID, Name: e.Name, Resource: e.Resource, Action: e.Action, Description: e.Description,
		System: e.System, CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC()}
}

func permissionGrant(e *ent.Permission, a port.Assignment) iam.PermissionGrant {
	return iam.PermissionGrant{Permission: *toPermission(e), AssignedAt: a.At.UTC(), AssignedBy: a.By}
}
