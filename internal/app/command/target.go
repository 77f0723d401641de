package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// The target of a change: loaded in the actor's scope (out of scope answers not found, like
// absent), named as the audit row's target, and refused when the actor may not change it.

// targetUser loads a user the actor is about to change: the actor must hold everything the
// user holds (the acting-on rule, actor.CheckActsOn).
func targetUser(ctx context.Context, a *actor.Actor, tx port.Tx, id uuid.UUID) (*iam.User, error) {
	u, err := tx.Users().Get(ctx, a.Scope(), id)
	if err != nil {
		return nil, err
	}
	audited(ctx, u.ID, u.OrganizationID)
	if err := a.CheckActsOn(ctx, tx.Access(), id); err != nil {
		return nil, err
	}
	return u, nil
}

// targetRole loads a role the actor is about to change: not a system role, owned by the
// actor's organization unless the actor is a super administrator (global and tenant roles are
// shared by organizations that must not edit them for each other), and not above the actor's
// tier.
func targetRole(ctx context.Context, a *actor.Actor, tx port.Tx, id uuid.UUID) (*iam.Role, error) {
	r, err := tx.Roles().Get(ctx, a.Scope(), id)
	if err != nil {
		return nil, err
	}
	audited(ctx, r.ID, r.Scope.Organization())
	if err := r.EnsureMutable(); err != nil {
		return nil, err
	}
	if !a.Super() && (r.Scope.OrganizationID == nil || *r.Scope.OrganizationID != a.OrganizationID) {
		return nil, a.EnsureSuper("global and tenant roles")
	}
	if err := a.CheckTier(r.Tier); err != nil {
		return nil, err
	}
	return r, nil
}

// targetGroup loads a group the actor is about to change; what the change reaches (its
// members, its roles) is checked by the command (reach.go).
func targetGroup(ctx context.Context, a *actor.Actor, tx port.Tx, id uuid.UUID) (*iam.Group, error) {
	g, err := tx.Groups().Get(ctx, a.Scope(), id)
	if err != nil {
		return nil, err
	}
	audited(ctx, g.ID, g.OrganizationID)
	return g, nil
}

// inOrganization checks the organization a new entity is created in — live and in the
// actor's scope, otherwise reference_not_found on organization_id — and names the new entity
// with the id as the audit row's target.
func inOrganization(ctx context.Context, a *actor.Actor, tx port.Tx, org, id uuid.UUID) error {
	if _, err := tx.Organizations().Get(ctx, a.Scope(), org); err != nil {
		return refErr(err, "organization_id", "organization")
	}
	audited(ctx, id, org)
	return nil
}

// targetPermission loads a permission of the catalog the actor is about to change: not a
// system permission, and the actor a super administrator (the catalog is shared by every
// organization).
func targetPermission(ctx context.Context, a *actor.Actor, tx port.Tx, id uuid.UUID) (*iam.Permission, error) {
	p, err := tx.Permissions().Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := p.EnsureMutable(); err != nil {
		return nil, err
	}
	if err := a.EnsureSuper("the permission catalog"); err != nil {
		return nil, err
	}
	return p, nil
}
