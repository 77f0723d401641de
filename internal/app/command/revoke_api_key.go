package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
)

// RevokeApiKey revokes one of the caller's own keys; it is refused from the next request on.
type RevokeApiKey struct {
	ID uuid.UUID `json:"id" audit:"id"`
}

// RevokeApiKeyHandler handles RevokeApiKey.
type RevokeApiKeyHandler struct{ Deps }

func (h RevokeApiKeyHandler) Handle(ctx context.Context, c RevokeApiKey) (Done, error) {
	return act(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) error {
		audited(ctx, c.ID, a.OrganizationID)
		return revokeKey(ctx, a, tx, a.UserID, c.ID, h.Deps)
	})
}

// RevokeUserApiKey revokes a key of another user: the user must be in the caller's scope and
// the acting-on rule applies (the caller holds everything the owner holds), as for ending the
// user's sessions.
type RevokeUserApiKey struct {
	UserID uuid.UUID `json:"user_id"`
	KeyID  uuid.UUID `json:"key_id"`
}

// RevokeUserApiKeyHandler handles RevokeUserApiKey.
type RevokeUserApiKeyHandler struct{ Deps }

func (h RevokeUserApiKeyHandler) Handle(ctx context.Context, c RevokeUserApiKey) (Done, error) {
	return act(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) error {
		if _, err := targetUser(ctx, a, tx, c.UserID); err != nil {
			return err
		}
		return revokeKey(ctx, a, tx, c.UserID, c.KeyID, h.Deps)
	})
}

func revokeKey(ctx context.Context, a *actor.Actor, tx port.Tx, owner, id uuid.UUID, d Deps) error {
	k, err := tx.APIKeys().Get(ctx, owner, id)
	if err != nil {
		return err
	}
	if err := tx.APIKeys().Revoke(ctx, k.ID, d.Now().UTC()); err != nil {
		return err
	}
	tx.Emit(event.APIKeyRevoked{KeyID: k.ID, UserID: owner, By: a.UserID})
	return nil
}
