package store

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/domain/rbac"
)

// The powers the acting-on rule compares, one query each. A power is built from a set of
// held role ids (CTE held) and, for users, their direct permissions (CTE direct); for users
// both come from a set of user ids (CTE who).

// whoHolds turns the set of users selected by who into the held and direct CTEs.
const whoHolds = `held(id) AS (
  SELECT ur.role_id FROM user_roles ur JOIN who ON who.id = ur.user_id
  UNION
  SELECT gr.role_id FROM group_roles gr
    JOIN groups g ON g.id = gr.group_id AND g.deleted_at IS NULL
    JOIN group_members gm ON gm.group_id = g.id
    JOIN who ON who.id = gm.user_id),
direct(id) AS (SELECT up.permission_id FROM user_permissions up JOIN who ON who.id = up.user_id)`

const (
	// whoUser is one live user.
	whoUser = `SELECT u.id FROM users u WHERE u.id = ? AND u.deleted_at IS NULL`
	// whoMembers are the live members of a group.
	whoMembers = `SELECT u.id FROM users u JOIN group_members gm ON gm.user_id = u.id
 WHERE gm.group_id = ? AND u.deleted_at IS NULL`
	// whoHolders are the live users holding a role directly or through a live group.
	whoHolders = `SELECT u.id FROM users u WHERE u.deleted_at IS NULL AND (
  u.id IN (SELECT ur.user_id FROM user_roles ur WHERE ur.role_id = ?)
  OR u.id IN (SELECT gm.user_id FROM group_members gm
    JOIN groups g ON g.id = gm.group_id AND g.deleted_at IS NULL
    JOIN group_roles gr ON gr.group_id = g.id
   WHERE gr.role_id = ?))`
	// heldByGroup are the roles of a live group.
	heldByGroup = `SELECT gr.role_id FROM group_roles gr
  JOIN groups g ON g.id = gr.group_id AND g.deleted_at IS NULL
 WHERE gr.group_id = ?`
)

// powerSQL answers one row per live permission ('p', name) and one per live held role
// ('r', name, tier, 1 when it is the super_administrator role). ctes defines held and,
// when withDirect, direct.
func powerSQL(ctes string, withDirect bool) string {
	direct := ""
	if withDirect {
		direct = `
     OR p.id IN (SELECT id FROM direct)`
	}
	return `WITH ` + ctes + `
SELECT 'p', p.name, 0, 0 FROM permissions p
 WHERE p.deleted_at IS NULL AND (
       p.id IN (SELECT rp.permission_id FROM role_permissions rp
                  JOIN roles r ON r.id = rp.role_id AND r.deleted_at IS NULL
                  JOIN held ON held.id = r.id)` + direct + `)
UNION ALL
SELECT 'r', r.name, r.tier, CASE WHEN ` + superRoleSQL + ` THEN 1 ELSE 0 END
  FROM roles r JOIN held ON held.id = r.id
 WHERE r.deleted_at IS NULL`
}

func (a access) UserPower(ctx context.Context, userID uuid.UUID) (iam.Power, error) {
	return a.power(ctx, powerSQL("who(id) AS ("+whoUser+"),\n"+whoHolds, true), userID)
}

func (a access) MembersPower(ctx context.Context, groupID uuid.UUID) (iam.Power, error) {
	return a.power(ctx, powerSQL("who(id) AS ("+whoMembers+"),\n"+whoHolds, true), groupID)
}

func (a access) HoldersPower(ctx context.Context, roleID uuid.UUID) (iam.Power, error) {
	return a.power(ctx, powerSQL("who(id) AS ("+whoHolders+"),\n"+whoHolds, true), roleID, roleID)
}

func (a access) GroupPower(ctx context.Context, groupID uuid.UUID) (iam.Power, error) {
	return a.power(ctx, powerSQL("held(id) AS ("+heldByGroup+")", false), groupID)
}

func (a access) RolesPower(ctx context.Context, roleIDs ...uuid.UUID) (iam.Power, error) {
	if len(roleIDs) == 0 {
		return iam.Power{Tier: rbac.TierNone, Permissions: iam.PermissionSet{}}, nil
	}
	args := make([]any, len(roleIDs))
	for i, id := range roleIDs {
		args[i] = id
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(roleIDs)), ", ")
	return a.power(ctx, powerSQL("held(id) AS (SELECT r.id FROM roles r WHERE r.id IN ("+marks+"))", false), args...)
}

// power runs a powerSQL query; args are the CTEs' arguments, the super_administrator
// predicate's follow.
func (a access) power(ctx context.Context, q string, args ...any) (iam.Power, error) {
	p := iam.Power{Tier: rbac.TierNone, Permissions: iam.PermissionSet{}}
	args = append(args, rbac.RoleSuperAdministrator, iam.GlobalScopeKey)
	rows, err := a.c.QueryContext(ctx, a.rebind(q), args...)
	if err != nil {
		return p, errs.Internal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			kind, name  string
			tier, super int64
		)
		if err := rows.Scan(&kind, &name, &tier, &super); err != nil {
			return p, errs.Internal(err)
		}
		if kind == "p" {
			p.Permissions[name] = struct{}{}
			continue
		}
		p.Super = p.Super || super > 0
		p.Tier = rbac.BestTier(p.Tier, rbac.Tier(tier))
	}
	if err := rows.Err(); err != nil {
		return p, errs.Internal(err)
	}
	return p, nil
}
