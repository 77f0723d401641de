package query

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/authn"
)

// ListAPIKeys answers the caller's own keys not revoked (never a token: only hashes are kept).
type ListAPIKeys struct{}

// ListAPIKeysHandler handles ListAPIKeys.
type ListAPIKeysHandler struct{ Deps }

func (h ListAPIKeysHandler) Handle(ctx context.Context, _ ListAPIKeys) ([]authn.APIKey, error) {
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return nil, err
	}
	audited(ctx, a.UserID, a.OrganizationID)
	return h.Read.APIKeys().Live(ctx, a.UserID)
}

// ListUserAPIKeys answers a user's keys for an administrator: the user must be in the
// caller's scope (user:read, like the user's other grants).
type ListUserAPIKeys struct {
	UserID uuid.UUID `json:"user_id" audit:"id"`
}

// ListUserAPIKeysHandler handles ListUserAPIKeys.
type ListUserAPIKeysHandler struct{ Deps }

func (h ListUserAPIKeysHandler) Handle(ctx context.Context, q ListUserAPIKeys) ([]authn.APIKey, error) {
	return within(ctx, h.Deps, h.Read.Users().Get, q.UserID, func(port.Scope) ([]authn.APIKey, error) {
		return h.Read.APIKeys().Live(ctx, q.UserID)
	})
}
