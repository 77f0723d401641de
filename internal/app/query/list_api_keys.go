package query

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/authn"
)

// ListApiKeys answers the caller's own keys not revoked (never a token: only hashes are kept).
type ListApiKeys struct{}

// ListApiKeysHandler handles ListApiKeys.
type ListApiKeysHandler struct{ Deps }

func (h ListApiKeysHandler) Handle(ctx context.Context, _ ListApiKeys) ([]authn.APIKey, error) {
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return nil, err
	}
	audited(ctx, a.UserID, a.OrganizationID)
	return h.Read.APIKeys().Live(ctx, a.UserID)
}

// ListUserApiKeys answers a user's keys for an administrator: the user must be in the
// caller's scope (user:read, like the user's other grants).
type ListUserApiKeys struct {
	UserID uuid.UUID `json:"user_id" audit:"id"`
}

// ListUserApiKeysHandler handles ListUserApiKeys.
type ListUserApiKeysHandler struct{ Deps }

func (h ListUserApiKeysHandler) Handle(ctx context.Context, q ListUserApiKeys) ([]authn.APIKey, error) {
	return within(ctx, h.Deps, h.Read.Users().Get, q.UserID, func(port.Scope) ([]authn.APIKey, error) {
		return h.Read.APIKeys().Live(ctx, q.UserID)
	})
}
