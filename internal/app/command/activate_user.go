package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// ActivateUser lets a created or inactive user log in.
type ActivateUser struct {
	ID uuid.UUID `json:"id"`
}

// ActivateUserHandler handles ActivateUser.
type ActivateUserHandler struct{ Deps }

func (h ActivateUserHandler) Handle(ctx context.Context, c ActivateUser) (*iam.User, error) {
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return nil, err
	}
	var u *iam.User
	return result(u, h.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		var from iam.UserStatus
		if u, from, _, err = transition(ctx, a, tx, c.ID, iam.ActionActivate, h.Now()); err != nil {
			return err
		}
		tx.Emit(event.UserActivated{UserID: u.ID, From: string(from)})
		return nil
	}))
}
