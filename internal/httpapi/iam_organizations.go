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
	o, err := a.app.Commands.CreateOrganization.Handle(ctx, command.CreateOrganization{TenantID: req.TenantID,
		OrganizationFields: iam.OrganizationFields{Name: &req.Name, Slug: &slug, Description: optString(req.Description),
			Domain: optString(req.Domain), Active: optBool(req.Active)}})
	return respond(o, err, organizationOut)
}

// GetOrganization implements getOrganization.
func (a *IAMAPI) GetOrganization(ctx context.Context, p oas.GetOrganizationParams) (*oas.Organization, error) {
	o, err := a.app.Queries.GetOrganization.Handle(ctx, query.GetOrganization{ID: p.ID})
	return respond(o, err, organizationOut)
}

// ListOrganizations implements listOrganizations.
func (a *IAMAPI) ListOrganizations(ctx context.Context, p oas.ListOrganizationsParams) (*oas.OrganizationList, error) {
	page, err := a.app.Queries.ListOrganizations.Handle(ctx, query.ListOrganizations{
		Filter: port.OrganizationFilter{Q: p.Q.Or(""), Active: optBool(p.Active), TenantID: optUUIDPtr(p.TenantID)},
		Page:   pageOf(p.Limit, p.Offset, p.Cursor, sortByName(p.Sort)),
	})
	if err != nil {
		return nil, err
	}
	return &oas.OrganizationList{Items: listOf(page.Items, organizationOut), NextCursor: nextCursor(page.NextCursor), Total: page.Total}, nil
}

// UpdateOrganization implements updateOrganization.
func (a *IAMAPI) UpdateOrganization(ctx context.Context, req *oas.OrganizationUpdate, p oas.UpdateOrganizationParams) (*oas.Organization, error) {
	o, err := a.app.Commands.UpdateOrganization.Handle(ctx, command.UpdateOrganization{ID: p.ID, OrganizationFields: organizationFields(req)})
	return respond(o, err, organizationOut)
}

// DeleteOrganization implements deleteOrganization.
func (a *IAMAPI) DeleteOrganization(ctx context.Context, p oas.DeleteOrganizationParams) error {
	_, err := a.app.Commands.DeleteOrganization.Handle(ctx, command.DeleteOrganization{ID: p.ID})
	return err
}
