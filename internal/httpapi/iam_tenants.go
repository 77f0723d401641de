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
	return call(ctx, a.commands.CreateTenant, command.CreateTenant{RegionID: req.RegionID, TenantFields: iam.TenantFields{
		Name: &req.Name, Slug: &slug, Description: optString(req.Description), Active: optBool(req.Active)}}, tenantOut)
}

// GetTenant implements getTenant.
func (a *IAMAPI) GetTenant(ctx context.Context, p oas.GetTenantParams) (*oas.Tenant, error) {
	return call(ctx, a.queries.GetTenant, query.GetTenant{ID: p.ID}, tenantOut)
}

// ListTenants implements listTenants.
func (a *IAMAPI) ListTenants(ctx context.Context, p oas.ListTenantsParams) (*oas.TenantList, error) {
	return page[oas.TenantList](ctx, a.queries.ListTenants, query.ListTenants{
		Filter: port.TenantFilter{Q: p.Q.Or(""), Active: optBool(p.Active), RegionID: optUUIDPtr(p.RegionID)},
		Page:   pageOf(p.Limit, p.Offset, p.Cursor, sortByName(p.Sort)),
	}, tenantOut)
}

// UpdateTenant implements updateTenant.
func (a *IAMAPI) UpdateTenant(ctx context.Context, req *oas.TenantUpdate, p oas.UpdateTenantParams) (*oas.Tenant, error) {
	return call(ctx, a.commands.UpdateTenant, command.UpdateTenant{ID: p.ID, TenantFields: iam.TenantFields{
		Name: optString(req.Name), Slug: optSlug(req.Slug), Description: optString(req.Description), Active: optBool(req.Active)}}, tenantOut)
}

// DeleteTenant implements deleteTenant.
func (a *IAMAPI) DeleteTenant(ctx context.Context, p oas.DeleteTenantParams) error {
	return exec(ctx, a.commands.DeleteTenant, command.DeleteTenant{ID: p.ID})
}
