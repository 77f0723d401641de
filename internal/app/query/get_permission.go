package query

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// GetPermission reads one permission of the catalog (the same for every caller).
type GetPermission struct {
	ID uuid.UUID `json:"id" audit:"id"`
}

// GetPermissionHandler handles GetPermission.
type GetPermissionHandler struct{ Deps }

func (h GetPermissionHandler) Handle(ctx context.Context, q GetPermission) (*iam.Permission, error) {
	return scoped(ctx, h.Deps, func(port.Scope) (*iam.Permission, error) {
		return h.Read.Permissions().Get(ctx, q.ID)
	})
}
