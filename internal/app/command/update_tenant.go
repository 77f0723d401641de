package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// UpdateTenant changes a tenant's fields (super administrators only; others may at most see
// their own tenant).
type UpdateTenant struct {
	ID uuid.UUID `json:"id"`
	iam.TenantFields
}

// UpdateTenantHandler handles UpdateTenant.
type UpdateTenantHandler struct{ Deps }

func (h UpdateTenantHandler) Handle(ctx context.Context, c UpdateTenant) (*iam.Tenant, error) {
	return change(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) (*iam.Tenant, error) {
		t, err := tx.Tenants().Get(ctx, a.Scope(), c.ID)
		if err != nil {
			return nil, err
		}
		if err := a.EnsureSuper("tenants"); err != nil {
			return nil, err
		}
		if err := iam.CheckNotDeactivatingOwn("tenant", t.ID == a.TenantID, c.Active); err != nil {
			return nil, err
		}
		if err := t.Apply(c.TenantFields, h.Now()); err != nil {
			return nil, err
		}
		return updated(ctx, tx, tx.Tenants(), t, event.TenantUpdated{TenantID: t.ID, Slug: t.Slug, Name: t.Name, Active: t.Active})
	})
}
