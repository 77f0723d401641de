package store

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/ent/permission"
	"github.com/telemetryflow/core/ent/predicate"
	"github.com/telemetryflow/core/ent/role"
	"github.com/telemetryflow/core/ent/user"
	"github.com/telemetryflow/core/ent/userpermission"
	"github.com/telemetryflow/core/ent/userrole"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

type users struct{ repos }

var userUnique = unique{"": "email", "user_email": "email", "users.email": "email"}

var userSorts = sorts[*ent.User]{
	"created_at": byTime("created_at", func(u *ent.User) time.Time { return u.CreatedAt }),
	"email":      byString("email", func(u *ent.User) string { return u.Email }),
	"last_name":  byString("last_name", func(u *ent.User) string { return u.LastName }),
}

// visibleUsers: live users; outside the All scope, those of the caller's organization.
func visibleUsers(s port.Scope) predicate.User {
	return visible[predicate.User](s, user.FieldOrganizationID, s.OrganizationID)
}

func (r users) List(ctx context.Context, s port.Scope, f port.UserFilter, p port.PageRequest) (port.Page[iam.User], error) {
	q := r.c.User.Query().Where(visibleUsers(s))
	if f.Q != "" {
		q = q.Where(user.Or(user.EmailContainsFold(f.Q), user.FirstNameContainsFold(f.Q), user.LastNameContainsFold(f.Q)))
	}
	if f.OrganizationID != nil {
		q = q.Where(user.OrganizationIDEQ(*f.OrganizationID))
	}
	if f.Status != nil {
		q = q.Where(user.StatusEQ(user.Status(*f.Status)))
	}
	if f.Kind != nil {
		q = q.Where(user.KindEQ(user.Kind(*f.Kind)))
	}
	if f.Email != "" {
		// Stored lower-cased, so an exact match on the lower-cased input uses the index.
		q = q.Where(user.EmailEQ(iam.CanonicalEmail(f.Email)))
	}
	return userPage(ctx, q, p, r.list("users", s, f))
}

func userPage(ctx context.Context, q *ent.UserQuery, p port.PageRequest, list pageList) (port.Page[iam.User], error) {
	return pageOf(ctx, q, p, userSorts, func(e *ent.User) uuid.UUID { return e.ID }, list, toUser)
}

func (r users) Roles(ctx context.Context, userID uuid.UUID, p port.PageRequest) (port.Page[iam.RoleGrant], error) {
	q := r.c.Role.Query().Where(role.DeletedAtIsNil(), role.HasUserRolesWith(userrole.UserIDEQ(userID)))
	return grantPage(ctx, q, p, roleSorts, roleID, r.list("user_roles", userID),
		func(granted []uuid.UUID) ([]*ent.UserRole, error) {
			return r.c.UserRole.Query().Where(userrole.UserIDEQ(userID), userrole.RoleIDIn(granted...)).All(ctx)
		},
		func(g *ent.UserRole) (uuid.UUID, port.Assignment) {
			return g.RoleID, port.Assignment{At: g.AssignedAt, By: g.AssignedBy}
		}, roleGrant)
}

func (r users) Permissions(ctx context.Context, userID uuid.UUID, p port.PageRequest) (port.Page[iam.PermissionGrant], error) {
	q := r.c.Permission.Query().Where(permission.DeletedAtIsNil(), permission.HasUserPermissionsWith(userpermission.UserIDEQ(userID)))
	return grantPage(ctx, q, p, permissionSorts, permissionID, r.list("user_permissions", userID),
		func(granted []uuid.UUID) ([]*ent.UserPermission, error) {
			return r.c.UserPermission.Query().Where(userpermission.UserIDEQ(userID), userpermission.PermissionIDIn(granted...)).All(ctx)
		},
		func(g *ent.UserPermission) (uuid.UUID, port.Assignment) {
			return g.PermissionID, port.Assignment{At: g.AssignedAt, By: g.AssignedBy}
		}, permissionGrant)
}

func (r users) Create(ctx context.Context, v *iam.User) error {
	err := r.c.User.Create().SetID(v.ID).SetEmail(v.Email).SetPasswordHash(v.PasswordHash).
		SetFirstName(v.FirstName).SetLastName(v.LastName).SetOrganizationID(v.OrganizationID).
		SetStatus(user.Status(v.Status)).SetNillablePasswordChangedAt(v.PasswordChangedAt).
		SetKind(user.Kind(kindOf(v))).SetDescription(v.Description).
		SetCreatedAt(v.CreatedAt).SetUpdatedAt(v.UpdatedAt).Exec(ctx)
	return mapErr(err, "user", userUnique)
}

// Update writes every mutable column; the lifecycle, password and lockout all change here.
func (r users) Update(ctx context.Context, v *iam.User) error {
	u := r.c.User.Update().Where(user.IDEQ(v.ID), user.DeletedAtIsNil()).SetEmail(v.Email).
		SetPasswordHash(v.PasswordHash).SetFirstName(v.FirstName).SetLastName(v.LastName).
		SetDescription(v.Description).SetStatus(user.Status(v.Status)).SetFailedLoginCount(v.FailedLoginCount).SetUpdatedAt(v.UpdatedAt)
	u = setOrClear(u, v.LockedUntil, u.SetLockedUntil, u.ClearLockedUntil)
	u = setOrClear(u, v.PasswordChangedAt, u.SetPasswordChangedAt, u.ClearPasswordChangedAt)
	u = setOrClear(u, v.DeletedAt, u.SetDeletedAt, u.ClearDeletedAt)
	n, err := u.Save(ctx)
	return affected(n, err, "user", userUnique)
}

// setOrClear sets an optional time column or clears it.
func setOrClear[U any](u U, v *time.Time, set func(time.Time) U, clear func() U) U {
	if v == nil {
		return clear()
	}
	return set(iam.Stamp(*v))
}

func toUser(e *ent.User) *iam.User {
	return &iam.User{ID: e.ID, Email: e.Email, PasswordHash: e.PasswordHash, FirstName: e.FirstName,
		LastName: e.LastName, OrganizationID: e.OrganizationID, Status: iam.UserStatus(e.Status),
		LastLoginAt: utc(e.LastLoginAt), FailedLoginCount: e.FailedLoginCount, LockedUntil: utc(e.LockedUntil),
		PasswordChangedAt: utc(e.PasswordChangedAt), Kind: iam.UserKind(e.Kind), Description: e.Description, CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC(),
		DeletedAt: utc(e.DeletedAt)}
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := t.UTC()
	return &v
}

// kindOf is the user's kind, human unless said otherwise.
func kindOf(u *iam.User) iam.UserKind {
	if u.Kind == "" {
		return iam.KindHuman
	}
	return u.Kind
}
