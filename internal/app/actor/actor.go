// Package actor resolves who is calling: the authenticated principal from the request
// context, completed from the store with their organization, tenant, region, best role tier,
// whether they are a super administrator and, on demand, their effective permissions. The
// resource-scope checks of the application are named methods here.
package actor

import (
	"context"
	"errors"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/errs"
	"github.com/telemetryflow/core/internal/principal"
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

// CheckTier applies the tier rule to a role the actor grants or revokes.
func (a *Actor) CheckTier(role rbac.Tier) error {
	if a.SuperAdministrator {
		return nil
	}
	return iam.CheckTierGrant(a.BestTier, role)
}

// CheckActsOn refuses to change a user who holds a more powerful role than the actor: an
// administrator must not deactivate, delete or reset the password of a super administrator
// who happens to sit in the same organization.
func (a *Actor) CheckActsOn(target port.Standing) error {
	if a.SuperAdministrator || target.UserID == a.UserID || !target.BestTier.Valid() {
		return nil
	}
	return iam.CheckTierGrant(a.BestTier, target.BestTier)
}

// CheckHolds refuses to hand out a permission the actor does not hold. The actor's effective
// permissions are loaded once, on first use.
func (a *Actor) CheckHolds(ctx context.Context, permission string) error {
	if a.SuperAdministrator {
		return nil
	}
	if a.held == nil {
		grants, err := a.access.EffectivePermissions(ctx, a.UserID)
		if err != nil {
			return err
		}
		a.held = iam.SetOf(grants)
	}
	return iam.CheckPermissionHeld(a.held, permission)
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
