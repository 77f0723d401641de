package query

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// GetTenant reads one tenant in the caller's scope.
type GetTenant struct {
	ID uuid.UUID `json:"id" audit:"id"`
}

// GetTenantHandler handles GetTenant.
type GetTenantHandler struct{ Deps }

func (h GetTenantHandler) Handle(ctx context.Context, q GetTenant) (*iam.Tenant, error) {
	return scoped(ctx, h.Deps, func(s port.Scope) (*iam.Tenant, error) {
		return h.Read.Tenants().Get(ctx, s, q.ID)
	})
}
