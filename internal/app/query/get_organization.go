package query

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// GetOrganization reads one organization in the caller's scope.
type GetOrganization struct {
	ID uuid.UUID `json:"id" audit:"id"`
}

// GetOrganizationHandler handles GetOrganization.
type GetOrganizationHandler struct{ Deps }

func (h GetOrganizationHandler) Handle(ctx context.Context, q GetOrganization) (*iam.Organization, error) {
	return scoped(ctx, h.Deps, func(s port.Scope) (*iam.Organization, error) {
		v, err := h.Read.Organizations().Get(ctx, s, q.ID)
		if err != nil {
			return nil, err
		}
		audited(ctx, v.ID, v.ID)
		return v, nil
	})
}
