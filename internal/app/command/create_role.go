package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// CreateRole adds a custom role. Without a tenant or organization it is global (super
// administrators only); other callers create roles owned by their own organization. Nobody
// creates a role above their own tier.
type CreateRole struct {
	iam.RoleFields
	TenantID       *uuid.UUID `json:"tenant_id,omitempty"`
	OrganizationID *uuid.UUID `json:"organization_id,omitempty"`
}

// CreateRoleHandler handles CreateRole.
type CreateRoleHandler struct{ Deps }

func (h CreateRoleHandler) Handle(ctx context.Context, c CreateRole) (*iam.Role, error) {
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return nil, err
	}
	r, err := iam.NewRole(iam.RoleScope{}, c.RoleFields, h.Now())
	if err != nil {
		return nil, err
	}
	if err := a.CheckTier(r.Tier); err != nil {
		return nil, err
	}
	return inTx(ctx, h.Deps, func(ctx context.Context, tx port.Tx) (*iam.Role, error) {
		if r.Scope, err = roleScope(ctx, a, tx, c); err != nil {
			return nil, err
		}
		audited(ctx, r.ID, r.Scope.Organization())
		return created(ctx, tx, tx.Roles(), r, event.RoleCreated{RoleID: r.ID, Name: r.Name, Tier: int(r.Tier), ScopeKey: r.Scope.Key()})
	})
}

// roleScope decides who owns a new role.
func roleScope(ctx context.Context, a *actor.Actor, tx port.Tx, c CreateRole) (iam.RoleScope, error) {
	if !a.Super() {
		if c.TenantID != nil {
			return iam.RoleScope{}, a.EnsureSuper("global and tenant roles")
		}
		if c.OrganizationID != nil && *c.OrganizationID != a.OrganizationID {
			return iam.RoleScope{}, iam.ReferenceNotFound("organization_id", "organization")
		}
		tenant, org := a.TenantID, a.OrganizationID
		return iam.RoleScope{TenantID: &tenant, OrganizationID: &org}, nil
	}
	switch {
	case c.OrganizationID != nil:
		o, err := tx.Organizations().Get(ctx, a.Scope(), *c.OrganizationID)
		if err != nil {
			return iam.RoleScope{}, refErr(err, "organization_id", "organization")
		}
		if c.TenantID != nil && *c.TenantID != o.TenantID {
			return iam.RoleScope{}, errs.Invalid(errs.FieldError{Field: "tenant_id", Message: "must be the organization's tenant"})
		}
		return iam.RoleScope{TenantID: &o.TenantID, OrganizationID: &o.ID}, nil
	case c.TenantID != nil:
		t, err := tx.Tenants().Get(ctx, a.Scope(), *c.TenantID)
		if err != nil {
			return iam.RoleScope{}, refErr(err, "tenant_id", "tenant")
		}
		return iam.RoleScope{TenantID: &t.ID}, nil
	}
	return iam.RoleScope{}, nil
}
