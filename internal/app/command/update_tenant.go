package command

import (
	"context"

	"github.com/google/uuid"

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
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return nil, err
	}
	var t *iam.Tenant
	return result(t, h.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		if t, err = tx.Tenants().Get(ctx, a.Scope(), c.ID); err != nil {
			return err
		}
		if err := a.EnsureSuper("tenants"); err != nil {
			return err
		}
		if err := iam.CheckNotDeactivatingOwn("tenant", t.ID == a.TenantID, c.Active); err != nil {
			return err
		}
		if err := t.Apply(c.TenantFields, h.Now()); err != nil {
			return err
		}
		if err := tx.Tenants().Update(ctx, t); err != nil {
			return err
		}
		tx.Emit(event.TenantUpdated{TenantID: t.ID, Slug: t.Slug, Name: t.Name, Active: t.Active})
		return nil
	}))
}
