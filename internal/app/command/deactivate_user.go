package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// DeactivateUser stops a created or active user from logging in and ends all their sessions
// in the same transaction. The last active super administrator cannot be deactivated.
type DeactivateUser struct {
	ID uuid.UUID `json:"id"`
}

// DeactivateUserHandler handles DeactivateUser.
type DeactivateUserHandler struct{ Deps }

func (h DeactivateUserHandler) Handle(ctx context.Context, c DeactivateUser) (*iam.User, error) {
	return change(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) (*iam.User, error) {
		u, from, revoked, err := transition(ctx, a, tx, c.ID, iam.ActionDeactivate, h.Now())
		if err != nil {
			return nil, err
		}
		tx.Emit(event.UserDeactivated{UserID: u.ID, From: string(from), SessionsRevoked: revoked})
		return u, nil
	})
}
