// Package actor resolves who is calling: the authenticated principal from the request
// context, completed from the store with their organization, tenant, region, best role tier,
// whether they are a super administrator and, on demand, their effective permissions. The
// resource-scope checks of the application are named methods here.
package actor

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/platform/principal"
)

// Actor is the caller of one command or query.
type Actor struct {
	port.Standing
	Principal *principal.Principal

	access port.Access
	held   iam.PermissionSet
}

// Resolver builds actors.
type Resolver struct{ access port.Access }

// NewResolver resolves actors through access.
func NewResolver(access port.Access) *Resolver { return &Resolver{access: access} }

var errUnauthenticated = errs.New(errs.KindUnauthenticated, errs.CodeUnauthenticated,
	"A valid bearer access token is required.")

// Resolve returns the caller of ctx. A missing principal, or one whose user no longer exists,
// is not active or sits under an inactive organization, tenant or region, is unauthenticated:
// a token outliving its user's standing grants nothing.
func (r *Resolver) Resolve(ctx context.Context) (*Actor, error) {
	p := principal.From(ctx)
	if p == nil {
		return nil, errUnauthenticated
	}
	st, err := r.access.Standing(ctx, p.UserID)
	if errs.IsKind(err, errs.KindNotFound) {
		return nil, errUnauthenticated
	}
	if err != nil {
		return nil, err
	}
	if !st.Status.CanLogIn() || !st.HierarchyActive {
		return nil, errUnauthenticated
	}
	return &Actor{Standing: st, Principal: p, access: r.access}, nil
}

// Super reports whether the actor is a super administrator (acts everywhere).
func (a *Actor) Super() bool { return a.SuperAdministrator }

// Scope is what the actor may see.
func (a *Actor) Scope() port.Scope {
	if a.SuperAdministrator {
		return port.Everything
	}
	return port.Scope{OrganizationID: a.OrganizationID, TenantID: a.TenantID, RegionID: a.RegionID}
}

// Assignment stamps a grant made by the actor.
func (a *Actor) Assignment(at port.Assignment) port.Assignment {
	id := a.UserID
	at.By = &id
	return at
}

// CheckTier applies the tier rule to a role the actor creates, changes or whose tier they
// set: nobody makes a role more powerful than their own best tier.
func (a *Actor) CheckTier(role rbac.Tier) error {
	if a.unbounded() {
		return nil
	}
	return iam.CheckTierGrant(a.BestTier, role)
}

// CheckActsOn is the acting-on rule: the actor may change another user — update them, reset
// their password, move them through the lifecycle, grant or revoke their roles, permissions or
// group memberships, end their sessions — only when the actor holds every effective permission
// of the target (iam.CheckPowerCovers), or is a super administrator. Acting on oneself is
// allowed; what one may grant oneself is bounded by the grant's own checks. The target is read
// through acc, the transaction's access, so the answer holds for the change being made.
//
// Exported so that every command changing another user calls it, including the session
// revocation still to come: today only deactivation, deletion and the password reset end
// another user's sessions, and they check it when loading their target; a command that
// revokes sessions on its own must call it before revoking.
func (a *Actor) CheckActsOn(ctx context.Context, acc port.Access, target uuid.UUID) error {
	if a.unbounded() || target == a.UserID {
		return nil
	}
	p, err := acc.UserPower(ctx, target)
	if err != nil {
		return err
	}
	return a.CheckCovers(ctx, p, "change this user")
}

// CheckCovers applies the same rule to what a change hands out or takes away (a role, the
// roles of a group) or to everyone it reaches (a group's members, a role's holders): the actor
// must hold all of it. what names the change in the refusal ("grant role ops").
func (a *Actor) CheckCovers(ctx context.Context, target iam.Power, what string) error {
	if a.unbounded() {
		return nil
	}
	mine, err := a.Power(ctx)
	if err != nil {
		return err
	}
	return iam.CheckPowerCovers(mine, target, what)
}

// Power is what the actor holds, in the terms of the acting-on rule.
func (a *Actor) Power(ctx context.Context) (iam.Power, error) {
	held, err := a.heldSet(ctx)
	if err != nil {
		return iam.Power{}, err
	}
	return iam.Power{Super: a.unbounded(), Tier: a.BestTier, Permissions: held}, nil
}

// CheckHolds refuses to hand out a permission the actor does not hold.
func (a *Actor) CheckHolds(ctx context.Context, permission string) error {
	if a.unbounded() {
		return nil
	}
	held, err := a.heldSet(ctx)
	if err != nil {
		return err
	}
	return iam.CheckPermissionHeld(held, permission)
}

// heldSet is the actor's effective permissions, loaded once, on first use, through the
// callers' access (the authorization cache in production), narrowed to the credential's
// restriction: an OAuth2 scope or an API key hands on no more than it names.
func (a *Actor) heldSet(ctx context.Context) (iam.PermissionSet, error) {
	if a.held == nil {
		grants, err := a.access.EffectivePermissions(ctx, a.UserID)
		if err != nil {
			return nil, err
		}
		held := iam.SetOf(grants)
		for name := range held {
			if !a.Principal.Restriction.Allows(name) {
				delete(held, name)
			}
		}
		a.held = held
	}
	return a.held, nil
}

// unbounded reports whether the actor is a super administrator acting with their full power:
// a narrowed credential of a super administrator keeps their reach (every organization) but
// not their exemption from the tier, holding and acting-on rules, which then bound it by the
// permissions the credential carries.
func (a *Actor) unbounded() bool {
	return a.SuperAdministrator && !a.Principal.Restriction.Narrowed()
}

// EnsureSuper refuses what only a super administrator may change; what names the target
// ("regions", "tenant acme").
func (a *Actor) EnsureSuper(what string) error {
	if a.SuperAdministrator {
		return nil
	}
	return iam.OutOfScope(what)
}

// IsNotFound reports whether err means "absent or out of scope".
func IsNotFound(err error) bool {
	var e *errs.Error
	return errors.As(err, &e) && e.Kind == errs.KindNotFound
}
