package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// What a grant or a revocation hands out or takes away — a role or a permission — is loaded
// and checked the same way whoever holds it (a user, a group, a role). Granting names the
// thing in the request body, so an unknown id is reference_not_found on that field; revoking
// names a grant, so an unknown id is that grant not being found.

// roleToGrant loads a role to grant: visible to the caller, and everything it carries held by
// them (checkRole).
func roleToGrant(ctx context.Context, a *actor.Actor, tx port.Tx, id uuid.UUID) (*iam.Role, error) {
	r, err := tx.Roles().Get(ctx, a.Scope(), id)
	if err != nil {
		return nil, refErr(err, "role_id", "role")
	}
	if err := checkRole(ctx, a, tx, r, "grant"); err != nil {
		return nil, err
	}
	return r, nil
}

// roleToRevoke loads a role to take back: revoking is refused like granting. grant names the
// grant for not found.
func roleToRevoke(ctx context.Context, a *actor.Actor, tx port.Tx, id uuid.UUID, grant string) (*iam.Role, error) {
	r, err := tx.Roles().Get(ctx, a.Scope(), id)
	if errs.IsKind(err, errs.KindNotFound) {
		return nil, errs.NotFound(grant)
	}
	if err != nil {
		return nil, err
	}
	if err := checkRole(ctx, a, tx, r, "revoke"); err != nil {
		return nil, err
	}
	return r, nil
}

// permissionToGrant loads a permission to grant: nobody grants a permission they do not hold.
func permissionToGrant(ctx context.Context, a *actor.Actor, tx port.Tx, id uuid.UUID) (*iam.Permission, error) {
	p, err := tx.Permissions().Get(ctx, id)
	if err != nil {
		return nil, refErr(err, "permission_id", "permission")
	}
	if err := a.CheckHolds(ctx, p.Name); err != nil {
		return nil, err
	}
	return p, nil
}

// permissionToRevoke loads a permission to take back: revoking it, like granting it, needs
// holding it. grant names the grant for not found; verb names the change ("revoke", "remove").
func permissionToRevoke(ctx context.Context, a *actor.Actor, tx port.Tx, id uuid.UUID, grant, verb string) (*iam.Permission, error) {
	p, err := tx.Permissions().Get(ctx, id)
	if errs.IsKind(err, errs.KindNotFound) {
		return nil, errs.NotFound(grant)
	}
	if err != nil {
		return nil, err
	}
	if err := checkPermission(ctx, a, p, verb); err != nil {
		return nil, err
	}
	return p, nil
}
