package query

import (
	"context"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// ListTenants pages through the tenants in the caller's scope.
type ListTenants struct {
	Filter port.TenantFilter
	Page   port.PageRequest
}

// ListTenantsHandler handles ListTenants.
type ListTenantsHandler struct{ Deps }

func (h ListTenantsHandler) Handle(ctx context.Context, q ListTenants) (port.Page[iam.Tenant], error) {
	return scoped(ctx, h.Deps, func(s port.Scope) (port.Page[iam.Tenant], error) {
		auditedList(ctx, s, nil)
		return h.Read.Tenants().List(ctx, s, q.Filter, q.Page)
	})
}
