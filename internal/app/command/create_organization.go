package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// CreateOrganization adds an organization to a live tenant. A new organization lies outside
// every caller's own organization, so only super administrators create them.
type CreateOrganization struct {
	TenantID uuid.UUID `json:"tenant_id"`
	iam.OrganizationFields
}

// CreateOrganizationHandler handles CreateOrganization.
type CreateOrganizationHandler struct{ Deps }

func (h CreateOrganizationHandler) Handle(ctx context.Context, c CreateOrganization) (*iam.Organization, error) {
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return nil, err
	}
	if err := a.EnsureSuper("organizations"); err != nil {
		return nil, err
	}
	o, err := iam.NewOrganization(c.TenantID, c.OrganizationFields, h.Now())
	if err != nil {
		return nil, err
	}
	return inTx(ctx, h.Deps, func(ctx context.Context, tx port.Tx) (*iam.Organization, error) {
		if _, err := tx.Tenants().Get(ctx, a.Scope(), c.TenantID); err != nil {
			return nil, refErr(err, "tenant_id", "tenant")
		}
		audited(ctx, o.ID, o.ID)
		return created(ctx, tx, tx.Organizations(), o, event.OrganizationCreated{OrganizationID: o.ID, TenantID: o.TenantID, Slug: o.Slug, Name: o.Name})
	})
}
