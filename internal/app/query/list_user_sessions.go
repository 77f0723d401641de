package query

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/authn"
)

// ListUserSessions lists a user's live sessions for an administrator. Sessions show where and
// how someone is logged in, so the read needs the acting-on rule (like ending them), not only
// the user in scope.
type ListUserSessions struct {
	ID uuid.UUID `json:"id" audit:"id"`
}

// ListUserSessionsHandler handles ListUserSessions.
type ListUserSessionsHandler struct{ Deps }

func (h ListUserSessionsHandler) Handle(ctx context.Context, q ListUserSessions) ([]authn.Session, error) {
	if h.Sessions == nil {
		return nil, errors.New("query: no session lister wired")
	}
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return nil, err
	}
	u, err := h.Read.Users().Get(ctx, a.Scope(), q.ID)
	if err != nil {
		return nil, err
	}
	audited(ctx, u.ID, u.OrganizationID)
	if err := a.CheckActsOn(ctx, h.Read.Access(), u.ID); err != nil {
		return nil, err
	}
	return h.Sessions.Live(ctx, u.ID, h.Now())
}
