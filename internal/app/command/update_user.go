package command

import (
	"context"

	"github.com/google/uuid"

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
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return nil, err
	}
	var u *iam.User
	return result(u, h.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		if u, err = targetUser(ctx, a, tx, c.ID); err != nil {
			return err
		}
		if err := u.Apply(c.UserFields, h.Now()); err != nil {
			return err
		}
		if err := tx.Users().Update(ctx, u); err != nil {
			return err
		}
		tx.Emit(event.UserUpdated{UserID: u.ID, Email: u.Email})
		return nil
	}))
}
