package query

import (
	"context"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// ListOrganizations pages through the organizations in the caller's scope.
type ListOrganizations struct {
	Filter port.OrganizationFilter
	Page   port.PageRequest
}

// ListOrganizationsHandler handles ListOrganizations.
type ListOrganizationsHandler struct{ Deps }

func (h ListOrganizationsHandler) Handle(ctx context.Context, q ListOrganizations) (port.Page[iam.Organization], error) {
	return scoped(ctx, h.Deps, func(s port.Scope) (port.Page[iam.Organization], error) {
		auditedList(ctx, s, nil)
		return h.Read.Organizations().List(ctx, s, q.Filter, q.Page)
	})
}
