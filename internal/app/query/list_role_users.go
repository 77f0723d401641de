package query

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// ListRoleUsers pages through the users in the caller's scope holding a role directly.
type ListRoleUsers struct {
	RoleID uuid.UUID `json:"role_id" audit:"id"`
	Page   port.PageRequest
}

// ListRoleUsersHandler handles ListRoleUsers.
type ListRoleUsersHandler struct{ Deps }

func (h ListRoleUsersHandler) Handle(ctx context.Context, q ListRoleUsers) (port.Page[iam.User], error) {
	return scoped(ctx, h.Deps, func(s port.Scope) (port.Page[iam.User], error) {
		v, err := h.Read.Roles().Get(ctx, s, q.RoleID)
		if err != nil {
			return port.Page[iam.User]{}, err
		}
		audited(ctx, v.ID, v.Scope.Organization())
		return h.Read.Roles().Users(ctx, s, q.RoleID, q.Page)
	})
}
