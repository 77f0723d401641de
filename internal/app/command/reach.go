package command

import (
	"context"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// The acting-on rule (actor.CheckActsOn) applied to what a change hands out or takes away, and
// to everyone it reaches. Each check is one query; a super administrator skips them all.

// checkRole: granting or revoking a role needs everything it carries (its tier is checked
// first). verb is "grant" or "revoke".
func checkRole(ctx context.Context, a *actor.Actor, tx port.Tx, r *iam.Role, verb string) error {
	if a.Super() {
		return nil
	}
	p, err := tx.Access().RolesPower(ctx, r.ID)
	if err != nil {
		return err
	}
	return a.CheckCovers(ctx, p, verb+" role "+r.Name)
}

// checkGroupRoles: joining or leaving a group gives or takes all its roles, so it needs
// everything they carry.
func checkGroupRoles(ctx context.Context, a *actor.Actor, tx port.Tx, g *iam.Group, what string) error {
	if a.Super() {
		return nil
	}
	p, err := tx.Access().GroupPower(ctx, g.ID)
	if err != nil {
		return err
	}
	return a.CheckCovers(ctx, p, what+" group "+g.Name)
}

// checkMembers: a change to a group's roles changes every member, so it needs power over
// all of them. The actor may be a member: they hold what they hold.
func checkMembers(ctx context.Context, a *actor.Actor, tx port.Tx, g *iam.Group) error {
	if a.Super() {
		return nil
	}
	p, err := tx.Access().MembersPower(ctx, g.ID)
	if err != nil {
		return err
	}
	return a.CheckCovers(ctx, p, "change the members of group "+g.Name)
}

// checkHolders: a change to a role's permissions changes everyone holding it, directly or
// through a group, so it needs power over all of them.
func checkHolders(ctx context.Context, a *actor.Actor, tx port.Tx, r *iam.Role) error {
	if a.Super() {
		return nil
	}
	p, err := tx.Access().HoldersPower(ctx, r.ID)
	if err != nil {
		return err
	}
	return a.CheckCovers(ctx, p, "change the holders of role "+r.Name)
}

// checkPermission: revoking a permission, like granting it, needs holding it. verb names
// the change ("revoke", "remove").
func checkPermission(ctx context.Context, a *actor.Actor, p *iam.Permission, verb string) error {
	return a.CheckCovers(ctx, iam.Power{Permissions: iam.PermissionSet{p.Name: {}}}, verb+" "+p.Name)
}
