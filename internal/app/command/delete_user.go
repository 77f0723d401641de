package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// DeleteUser moves an active or inactive user to the terminal deleted state: the row becomes
// invisible, its email reusable, and every session ends in the same transaction. The last
// active super administrator cannot be deleted.
type DeleteUser struct {
	ID uuid.UUID `json:"id"`
}

// DeleteUserHandler handles DeleteUser.
type DeleteUserHandler struct{ Deps }

func (h DeleteUserHandler) Handle(ctx context.Context, c DeleteUser) (Done, error) {
	return act(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) error {
		u, _, revoked, err := transition(ctx, a, tx, c.ID, iam.ActionDelete, h.Now())
		if err != nil {
			return err
		}
		tx.Emit(event.UserDeleted{UserID: u.ID, SessionsRevoked: revoked})
		return nil
	})
}
