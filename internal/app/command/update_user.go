package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// UpdateUser changes a user's email or names.
type UpdateUser struct {
	ID uuid.UUID `json:"id"`
	iam.UserFields
}

// UpdateUserHandler handles UpdateUser.
type UpdateUserHandler struct{ Deps }

func (h UpdateUserHandler) Handle(ctx context.Context, c UpdateUser) (*iam.User, error) {
	return change(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) (*iam.User, error) {
		u, err := targetUser(ctx, a, tx, c.ID)
		if err != nil {
			return nil, err
		}
		if err := u.Apply(c.UserFields, h.Now()); err != nil {
			return nil, err
		}
		return updated(ctx, tx, tx.Users(), u, event.UserUpdated{UserID: u.ID, Email: u.Email})
	})
}
