package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// CreateTenant adds a tenant to a live region (super administrators only).
type CreateTenant struct {
	RegionID uuid.UUID `json:"region_id"`
	iam.TenantFields
}

// CreateTenantHandler handles CreateTenant.
type CreateTenantHandler struct{ Deps }

func (h CreateTenantHandler) Handle(ctx context.Context, c CreateTenant) (*iam.Tenant, error) {
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return nil, err
	}
	if err := a.EnsureSuper("tenants"); err != nil {
		return nil, err
	}
	t, err := iam.NewTenant(c.RegionID, c.TenantFields, h.Now())
	if err != nil {
		return nil, err
	}
	return inTx(ctx, h.Deps, func(ctx context.Context, tx port.Tx) (*iam.Tenant, error) {
		if _, err := tx.Regions().Get(ctx, a.Scope(), c.RegionID); err != nil {
			return nil, refErr(err, "region_id", "region")
		}
		return created(ctx, tx, tx.Tenants(), t, event.TenantCreated{TenantID: t.ID, RegionID: t.RegionID, Slug: t.Slug, Name: t.Name})
	})
}
