package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// targetRole loads a role the actor is about to change: visible to the actor, not a system
// role, owned by the actor's organization unless the actor is a super administrator (global
// and tenant roles are shared by organizations that must not edit them for each other), and
// not above the actor's tier.
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
