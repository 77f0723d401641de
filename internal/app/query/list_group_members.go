package query

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// ListGroupMembers pages through the members of a group in the caller's scope.
type ListGroupMembers struct {
	GroupID uuid.UUID `json:"group_id" audit:"id"`
	Page    port.PageRequest
}

// ListGroupMembersHandler handles ListGroupMembers.
type ListGroupMembersHandler struct{ Deps }

func (h ListGroupMembersHandler) Handle(ctx context.Context, q ListGroupMembers) (port.Page[iam.User], error) {
	return scoped(ctx, h.Deps, func(s port.Scope) (port.Page[iam.User], error) {
		v, err := h.Read.Groups().Get(ctx, s, q.GroupID)
		if err != nil {
			return port.Page[iam.User]{}, err
		}
		audited(ctx, v.ID, v.OrganizationID)
		return h.Read.Groups().Members(ctx, q.GroupID, q.Page)
	})
}
