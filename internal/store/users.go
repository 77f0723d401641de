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
	if s.All {
		return user.DeletedAtIsNil()
	}
	return user.And(user.DeletedAtIsNil(), user.OrganizationIDEQ(s.OrganizationID))
}

func (r users) Get(ctx context.Context, s port.Scope, id uuid.UUID) (*iam.User, error) {
	row, err := r.c.User.Query().Where(visibleUsers(s), user.IDEQ(id)).Only(ctx)
	if err != nil {
		return nil, mapErr(err, "user", nil)
	}
	return toUser(row), nil
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
	if f.Email != "" {
		// Stored lower-cased, so an exact match on the lower-cased input uses the index.
		q = q.Where(user.EmailEQ(iam.CanonicalEmail(f.Email)))
	}
	return userPage(ctx, q, p, r.list("users", s, f))
}

func userPage(ctx context.Context, q *ent.UserQuery, p port.PageRequest, list pageList) (port.Page[iam.User], error) {
	page, err := paginate(ctx, q, p, userSorts, func(e *ent.User) uuid.UUID { return e.ID }, list)
	if err != nil {
		return port.Page[iam.User]{}, mapErr(err, "", nil)
	}
	return mapPage(page, func(e *ent.User) iam.User { return *toUser(e) }), nil
}

func (r users) Roles(ctx context.Context, userID uuid.UUID, p port.PageRequest) (port.Page[iam.RoleGrant], error) {
	q := r.c.Role.Query().Where(role.DeletedAtIsNil(), role.HasUserRolesWith(userrole.UserIDEQ(userID)))
	page, err := paginate(ctx, q, p, roleSorts, func(e *ent.Role) uuid.UUID { return e.ID }, r.list("user_roles", userID))
	if err != nil {
		return port.Page[iam.RoleGrant]{}, mapErr(err, "", nil)
	}
	rows, err := r.c.UserRole.Query().Where(userrole.UserIDEQ(userID), userrole.RoleIDIn(ids(page.Items, roleID)...)).All(ctx)
	if err != nil {
		return port.Page[iam.RoleGrant]{}, mapErr(err, "", nil)
	}
	at := assignments(rows, func(g *ent.UserRole) (uuid.UUID, port.Assignment) {
		return g.RoleID, port.Assignment{At: g.AssignedAt, By: g.AssignedBy}
	})
	return mapPage(page, func(e *ent.Role) iam.RoleGrant { return roleGrant(e, at[e.ID]) }), nil
}

func (r users) Permissions(ctx context.Context, userID uuid.UUID, p port.PageRequest) (port.Page[iam.PermissionGrant], error) {
	q := r.c.Permission.Query().Where(permission.DeletedAtIsNil(), permission.HasUserPermissionsWith(userpermission.UserIDEQ(userID)))
	page, err := paginate(ctx, q, p, permissionSorts, func(e *ent.Permission) uuid.UUID { return e.ID }, r.list("user_permissions", userID))
	if err != nil {
		return port.Page[iam.PermissionGrant]{}, mapErr(err, "", nil)
	}
	rows, err := r.c.UserPermission.Query().Where(userpermission.UserIDEQ(userID),
		userpermission.PermissionIDIn(ids(page.Items, permissionID)...)).All(ctx)
	if err != nil {
		return port.Page[iam.PermissionGrant]{}, mapErr(err, "", nil)
	}
	at := assignments(rows, func(g *ent.UserPermission) (uuid.UUID, port.Assignment) {
		return g.PermissionID, port.Assignment{At: g.AssignedAt, By: g.AssignedBy}
	})
	return mapPage(page, func(e *ent.Permission) iam.PermissionGrant { return permissionGrant(e, at[e.ID]) }), nil
}

func (r users) Create(ctx context.Context, v *iam.User) error {
	err := r.c.User.Create().SetID(v.ID).SetEmail(v.Email).SetPasswordHash(v.PasswordHash).
		SetFirstName(v.FirstName).SetLastName(v.LastName).SetOrganizationID(v.OrganizationID).
		SetStatus(user.Status(v.Status)).SetNillablePasswordChangedAt(v.PasswordChangedAt).
		SetCreatedAt(v.CreatedAt).SetUpdatedAt(v.UpdatedAt).Exec(ctx)
	return mapErr(err, "user", userUnique)
}

// Update writes every mutable column; the lifecycle, password and lockout all change here.
func (r users) Update(ctx context.Context, v *iam.User) error {
	u := r.c.User.Update().Where(user.IDEQ(v.ID), user.DeletedAtIsNil()).SetEmail(v.Email).
		SetPasswordHash(v.PasswordHash).SetFirstName(v.FirstName).SetLastName(v.LastName).
		SetStatus(user.Status(v.Status)).SetFailedLoginCount(v.FailedLoginCount).SetUpdatedAt(v.UpdatedAt)
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
		PasswordChangedAt: utc(e.PasswordChangedAt), CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC(),
		DeletedAt: utc(e.DeletedAt)}
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := t.UTC()
	return &v
}

// ids collects the ids of a page's rows.
func ids[E any](items []E, id func(E) uuid.UUID) []uuid.UUID {
	out := make([]uuid.UUID, 0, len(items))
	for _, e := range items {
		out = append(out, id(e))
	}
	return out
}

// assignments indexes the join rows of a page by the granted id.
func assignments[R any](rows []R, of func(R) (uuid.UUID, port.Assignment)) map[uuid.UUID]port.Assignment {
	out := make(map[uuid.UUID]port.Assignment, len(rows))
	for _, r := range rows {
		id, a := of(r)
		out[id] = a
	}
	return out
}
