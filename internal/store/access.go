package store

import (
	"context"
	"database/sql"

	"entgo.io/ent/dialect"
	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent/group"
	"github.com/telemetryflow/core/ent/role"
	"github.com/telemetryflow/core/ent/user"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/platform/sqldb"
)

// access answers who holds what with hand-written SQL: these queries run on every request of
// the authorization work, and one round trip each matters more than ent's graph traversal.
type access struct{ repos }

var _ port.Access = access{}

// effectivePermissionsSQL is the union of the three ways a permission reaches a user. Each
// branch joins only live roles, groups and permissions.
const effectivePermissionsSQL = `
SELECT p.id, p.name, 'role', r.id, r.name, NULL, NULL
  FROM user_roles ur
  JOIN roles r ON r.id = ur.role_id AND r.deleted_at IS NULL
  JOIN role_permissions rp ON rp.role_id = r.id
  JOIN permissions p ON p.id = rp.permission_id AND p.deleted_at IS NULL
 WHERE ur.user_id = ?
UNION ALL
SELECT p.id, p.name, 'group', g.id, g.name, r.id, r.name
  FROM group_members gm
  JOIN groups g ON g.id = gm.group_id AND g.deleted_at IS NULL
  JOIN group_roles gr ON gr.group_id = g.id
  JOIN roles r ON r.id = gr.role_id AND r.deleted_at IS NULL
  JOIN role_permissions rp ON rp.role_id = r.id
  JOIN permissions p ON p.id = rp.permission_id AND p.deleted_at IS NULL
 WHERE gm.user_id = ?
UNION ALL
SELECT p.id, p.name, 'direct', p.id, p.name, NULL, NULL
  FROM user_permissions up
  JOIN permissions p ON p.id = up.permission_id AND p.deleted_at IS NULL
 WHERE up.user_id = ?`

func (a access) EffectivePermissions(ctx context.Context, userID uuid.UUID) ([]iam.Grant, error) {
	rows, err := a.c.QueryContext(ctx, a.rebind(effectivePermissionsSQL), userID, userID, userID)
	if err != nil {
		return nil, errs.Internal(err)
	}
	defer rows.Close()
	var out []iam.Grant
	for rows.Next() {
		var (
			g        iam.Grant
			kind     string
			roleID   uuid.NullUUID
			roleName sql.NullString
		)
		if err := rows.Scan(&g.PermissionID, &g.Permission, &kind, &g.SourceID, &g.SourceName, &roleID, &roleName); err != nil {
			return nil, errs.Internal(err)
		}
		g.Kind = iam.GrantKind(kind)
		g.RoleID, g.RoleName = roleID.UUID, roleName.String
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, errs.Internal(err)
	}
	return out, nil
}

// heldRolesSQL selects the ids of the roles a user (u.id) holds directly or through a live
// group.
const heldRolesSQL = `SELECT ur.role_id FROM user_roles ur WHERE ur.user_id = u.id
UNION SELECT gr.role_id FROM group_roles gr
  JOIN groups g ON g.id = gr.group_id AND g.deleted_at IS NULL
  JOIN group_members gm ON gm.group_id = g.id
 WHERE gm.user_id = u.id`

// superRoleSQL is the predicate on r that picks the global super_administrator system role.
const superRoleSQL = `r.deleted_at IS NULL AND r.system_role AND r.name = ? AND r.scope_key = ?`

var standingSQL = `
SELECT o.id, o.tenant_id, t.region_id, u.status,
       ` + hierarchyActiveSQL + `,
       (SELECT MIN(r.tier) FROM roles r WHERE r.deleted_at IS NULL AND r.id IN (` + heldRolesSQL + `)),
       (SELECT COUNT(*) FROM roles r WHERE ` + superRoleSQL + ` AND r.id IN (` + heldRolesSQL + `))
  FROM users u
  JOIN organizations o ON o.id = u.organization_id
  JOIN tenants t ON t.id = o.tenant_id
  JOIN regions r ON r.id = t.region_id
 WHERE u.id = ? AND u.deleted_at IS NULL`

func (a access) Standing(ctx context.Context, userID uuid.UUID) (port.Standing, error) {
	st := port.Standing{UserID: userID}
	var (
		status string
		tier   sql.NullInt64
		supers int
	)
	rows, err := a.c.QueryContext(ctx, a.rebind(standingSQL), rbac.RoleSuperAdministrator, iam.GlobalScopeKey, userID)
	if err != nil {
		return st, errs.Internal(err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return st, errs.Internal(err)
		}
		return st, errs.NotFound("user")
	}
	if err := rows.Scan(&st.OrganizationID, &st.TenantID, &st.RegionID, &status, &st.HierarchyActive, &tier, &supers); err != nil {
		return st, errs.Internal(err)
	}
	st.Status = iam.UserStatus(status)
	st.BestTier = rbac.TierNone
	if tier.Valid {
		st.BestTier = rbac.Tier(tier.Int64)
	}
	st.SuperAdministrator = supers > 0
	return st, nil
}

var activeSuperAdministratorsSQL = `
SELECT COUNT(*) FROM users u
 WHERE u.deleted_at IS NULL AND u.status = 'active'
   AND EXISTS (SELECT 1 FROM roles r WHERE ` + superRoleSQL + ` AND r.id IN (` + heldRolesSQL + `))`

func (a access) ActiveSuperAdministrators(ctx context.Context) (int, error) {
	rows, err := a.c.QueryContext(ctx, a.rebind(activeSuperAdministratorsSQL), rbac.RoleSuperAdministrator, iam.GlobalScopeKey)
	if err != nil {
		return 0, errs.Internal(err)
	}
	defer rows.Close()
	var n int
	if rows.Next() {
		err = rows.Scan(&n)
	}
	if err == nil {
		err = rows.Err()
	}
	if err != nil {
		return 0, errs.Internal(err)
	}
	return n, nil
}

// LockSuperAdministrators takes a row lock on the super_administrator role: two concurrent
// transactions that each remove a different super administrator would otherwise both see one
// left and commit. SQLite transactions start with BEGIN IMMEDIATE (see database.SQLiteDSN), so
// writers are serialised already.
func (a access) LockSuperAdministrators(ctx context.Context) error {
	if a.dialect != dialect.Postgres {
		return nil
	}
	rows, err := a.c.QueryContext(ctx, `SELECT id FROM roles WHERE name = $1 AND scope_key = $2 AND system_role FOR UPDATE`,
		rbac.RoleSuperAdministrator, iam.GlobalScopeKey)
	if err != nil {
		return errs.Internal(err)
	}
	return rows.Close()
}

// rebind turns ? placeholders into the dialect's own.
func (r repos) rebind(q string) string { return sqldb.Rebind(r.dialect, q) }

// HeldRoles lists the live roles the user holds directly or through a live group.
func (a access) HeldRoles(ctx context.Context, userID uuid.UUID) ([]iam.Role, error) {
	rows, err := a.c.Role.Query().Where(role.DeletedAtIsNil(), role.Or(
		role.HasUsersWith(user.ID(userID)),
		role.HasGroupsWith(group.DeletedAtIsNil(), group.HasMembersWith(user.ID(userID))),
	)).Order(role.ByTier(), role.ByName(), role.ByID()).All(ctx)
	if err != nil {
		return nil, errs.Internal(err)
	}
	out := make([]iam.Role, 0, len(rows))
	for _, r := range rows {
		out = append(out, *toRole(r))
	}
	return out, nil
}
