package query

import (
	"context"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// ListGroups pages through the groups in the caller's scope.
type ListGroups struct {
	Filter port.GroupFilter
	Page   port.PageRequest
}

// ListGroupsHandler handles ListGroups.
type ListGroupsHandler struct{ Deps }

func (h ListGroupsHandler) Handle(ctx context.Context, q ListGroups) (port.Page[iam.Group], error) {
	return scoped(ctx, h.Deps, func(s port.Scope) (port.Page[iam.Group], error) {
		auditedList(ctx, s, q.Filter.OrganizationID)
		return h.Read.Groups().List(ctx, s, q.Filter, q.Page)
	})
}
