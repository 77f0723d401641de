package query

import (
	"context"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// ListUsers pages through the users in the caller's scope.
type ListUsers struct {
	Filter port.UserFilter
	Page   port.PageRequest
}

// ListUsersHandler handles ListUsers.
type ListUsersHandler struct{ Deps }

func (h ListUsersHandler) Handle(ctx context.Context, q ListUsers) (port.Page[iam.User], error) {
	return scoped(ctx, h.Deps, func(s port.Scope) (port.Page[iam.User], error) {
		auditedList(ctx, s, q.Filter.OrganizationID)
		return h.Read.Users().List(ctx, s, q.Filter, q.Page)
	})
}
