package httpapi

import (
	"context"

	"github.com/telemetryflow/core/internal/app/command"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/app/query"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/oas"
)

// CreateOrganization implements createOrganization.
func (a *IAMAPI) CreateOrganization(ctx context.Context, req *oas.OrganizationCreate) (*oas.Organization, error) {
	slug := string(req.Slug)
	return call(ctx, a.commands.CreateOrganization, command.CreateOrganization{TenantID: req.TenantID,
		OrganizationFields: iam.OrganizationFields{Name: &req.Name, Slug: &slug, Description: optString(req.Description),
			Domain: optString(req.Domain), Active: optBool(req.Active)}}, organizationOut)
}

// GetOrganization implements getOrganization.
func (a *IAMAPI) GetOrganization(ctx context.Context, p oas.GetOrganizationParams) (*oas.Organization, error) {
	return call(ctx, a.queries.GetOrganization, query.GetOrganization{ID: p.ID}, organizationOut)
}

// ListOrganizations implements listOrganizations.
func (a *IAMAPI) ListOrganizations(ctx context.Context, p oas.ListOrganizationsParams) (*oas.OrganizationList, error) {
	return page[oas.OrganizationList](ctx, a.queries.ListOrganizations, query.ListOrganizations{
		Filter: port.OrganizationFilter{Q: p.Q.Or(""), Active: optBool(p.Active), TenantID: optUUIDPtr(p.TenantID)},
		Page:   pageOf(p.Limit, p.Offset, p.Cursor, sortByName(p.Sort)),
	}, organizationOut)
}

// UpdateOrganization implements updateOrganization.
func (a *IAMAPI) UpdateOrganization(ctx context.Context, req *oas.OrganizationUpdate, p oas.UpdateOrganizationParams) (*oas.Organization, error) {
	return call(ctx, a.commands.UpdateOrganization, command.UpdateOrganization{ID: p.ID, OrganizationFields: organizationFields(req)}, organizationOut)
}

// DeleteOrganization implements deleteOrganization.
func (a *IAMAPI) DeleteOrganization(ctx context.Context, p oas.DeleteOrganizationParams) error {
	return exec(ctx, a.commands.DeleteOrganization, command.DeleteOrganization{ID: p.ID})
}
