package store

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/ent/groupmember"
	"github.com/telemetryflow/core/ent/grouprole"
	"github.com/telemetryflow/core/ent/rolepermission"
	"github.com/telemetryflow/core/ent/userpermission"
	"github.com/telemetryflow/core/ent/userrole"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// grants writes the join tables. A revocation deletes the row; the audit log keeps history.
type grants struct{ repos }

var _ port.GrantRepository = grants{}

func (g grants) AssignRole(ctx context.Context, userID, roleID uuid.UUID, a port.Assignment) error {
	return insertGrant(ctx, g.c.UserRole.Create().SetUserID(userID).SetRoleID(roleID), a, "role_id", "The user already holds the role.")
}

func (g grants) RevokeRole(ctx context.Context, userID, roleID uuid.UUID) error {
	n, err := g.c.UserRole.Delete().Where(userrole.UserIDEQ(userID), userrole.RoleIDEQ(roleID)).Exec(ctx)
	return removed(n, err, "role_assignment")
}

func (g grants) RevokeRoles(ctx context.Context, userID uuid.UUID, roleIDs []uuid.UUID) error {
	n, err := g.c.UserRole.Delete().Where(userrole.UserIDEQ(userID), userrole.RoleIDIn(roleIDs...)).Exec(ctx)
	if err == nil && n != len(roleIDs) {
		// A concurrent revocation got there first: refuse the whole change (the caller's
		// transaction rolls back what was deleted) rather than report roles it did not take.
		n = 0
	}
	return removed(n, err, "role_assignment")
}

func (g grants) GrantPermission(ctx context.Context, userID, permissionID uuid.UUID, a port.Assignment) error {
	return insertGrant(ctx, g.c.UserPermission.Create().SetUserID(userID).SetPermissionID(permissionID), a, "permission_id", "The user already holds the permission directly.")
}

func (g grants) RevokePermission(ctx context.Context, userID, permissionID uuid.UUID) error {
	n, err := g.c.UserPermission.Delete().Where(userpermission.UserIDEQ(userID), userpermission.PermissionIDEQ(permissionID)).Exec(ctx)
	return removed(n, err, "permission_grant")
}

func (g grants) AddRolePermission(ctx context.Context, roleID, permissionID uuid.UUID, a port.Assignment) error {
	return insertGrant(ctx, g.c.RolePermission.Create().SetRoleID(roleID).SetPermissionID(permissionID), a, "permission_id", "The role already contains the permission.")
}

func (g grants) RemoveRolePermission(ctx context.Context, roleID, permissionID uuid.UUID) error {
	n, err := g.c.RolePermission.Delete().Where(rolepermission.RoleIDEQ(roleID), rolepermission.PermissionIDEQ(permissionID)).Exec(ctx)
	return removed(n, err, "role_permission")
}

func (g grants) AddMember(ctx context.Context, groupID, userID uuid.UUID, a port.Assignment) error {
	return insertGrant(ctx, g.c.GroupMember.Create().SetGroupID(groupID).SetUserID(userID), a, "user_id", "The user is already a member of the group.")
}

func (g grants) RemoveMember(ctx context.Context, groupID, userID uuid.UUID) error {
	n, err := g.c.GroupMember.Delete().Where(groupmember.GroupIDEQ(groupID), groupmember.UserIDEQ(userID)).Exec(ctx)
	return removed(n, err, "group_member")
}

func (g grants) AddGroupRole(ctx context.Context, groupID, roleID uuid.UUID, a port.Assignment) error {
	return insertGrant(ctx, g.c.GroupRole.Create().SetGroupID(groupID).SetRoleID(roleID), a, "role_id", "The group already holds the role.")
}

func (g grants) RemoveGroupRole(ctx context.Context, groupID, roleID uuid.UUID) error {
	n, err := g.c.GroupRole.Delete().Where(grouprole.GroupIDEQ(groupID), grouprole.RoleIDEQ(roleID)).Exec(ctx)
	return removed(n, err, "group_role")
}

// grantRow is a generated create builder of a join table, whose row records who granted it
// and when.
type grantRow[B any] interface {
	SetAssignedAt(t time.Time) B
	SetNillableAssignedBy(by *uuid.UUID) B
	Exec(ctx context.Context) error
}

// insertGrant inserts the join row b with its assignment; a row already there is
// already_exists on field, with msg.
func insertGrant[B grantRow[B]](ctx context.Context, b B, a port.Assignment, field, msg string) error {
	return duplicate(b.SetAssignedAt(iam.Stamp(a.At)).SetNillableAssignedBy(a.By).Exec(ctx), field, msg)
}

// duplicate maps a primary-key violation of a join table to already_exists on field.
func duplicate(err error, field, msg string) error {
	if err != nil && ent.IsConstraintError(err) && isUnique(err) {
		return errs.Conflict(field, msg)
	}
	return mapErr(err, "", nil)
}

// removed maps the result of deleting one join row: nothing deleted means there was no grant.
func removed(n int, err error, resource string) error {
	if err != nil {
		return mapErr(err, "", nil)
	}
	if n == 0 {
		return errs.NotFound(resource)
	}
	return nil
}
