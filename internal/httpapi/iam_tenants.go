package httpapi

import (
	"context"

	"github.com/telemetryflow/core/internal/app/command"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/app/query"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/oas"
)

// CreateTenant implements createTenant.
func (a *IAMAPI) CreateTenant(ctx context.Context, req *oas.TenantCreate) (*oas.Tenant, error) {
	slug := string(req.Slug)
	t, err := a.app.Commands.CreateTenant.Handle(ctx, command.CreateTenant{RegionID: req.RegionID, TenantFields: iam.TenantFields{
		Name: &req.Name, Slug: &slug, Description: optString(req.Description), Active: optBool(req.Active)}})
	return respond(t, err, tenantOut)
}

// GetTenant implements getTenant.
func (a *IAMAPI) GetTenant(ctx context.Context, p oas.GetTenantParams) (*oas.Tenant, error) {
	t, err := a.app.Queries.GetTenant.Handle(ctx, query.GetTenant{ID: p.ID})
	return respond(t, err, tenantOut)
}

// ListTenants implements listTenants.
func (a *IAMAPI) ListTenants(ctx context.Context, p oas.ListTenantsParams) (*oas.TenantList, error) {
	page, err := a.app.Queries.ListTenants.Handle(ctx, query.ListTenants{
		Filter: port.TenantFilter{Q: p.Q.Or(""), Active: optBool(p.Active), RegionID: optUUIDPtr(p.RegionID)},
		Page:   pageOf(p.Limit, p.Offset, p.Cursor, sortByName(p.Sort)),
	})
	if err != nil {
		return nil, err
	}
	return &oas.TenantList{Items: listOf(page.Items, tenantOut), NextCursor: nextCursor(page.NextCursor), Total: page.Total}, nil
}

// UpdateTenant implements updateTenant.
func (a *IAMAPI) UpdateTenant(ctx context.Context, req *oas.TenantUpdate, p oas.UpdateTenantParams) (*oas.Tenant, error) {
	t, err := a.app.Commands.UpdateTenant.Handle(ctx, command.UpdateTenant{ID: p.ID, TenantFields: iam.TenantFields{
		Name: optString(req.Name), Slug: optSlug(req.Slug), Description: optString(req.Description), Active: optBool(req.Active)}})
	return respond(t, err, tenantOut)
}

// DeleteTenant implements deleteTenant.
func (a *IAMAPI) DeleteTenant(ctx context.Context, p oas.DeleteTenantParams) error {
	_, err := a.app.Commands.DeleteTenant.Handle(ctx, command.DeleteTenant{ID: p.ID})
	return err
}
