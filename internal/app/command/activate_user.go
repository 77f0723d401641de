package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
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
	return change(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) (*iam.User, error) {
		u, from, _, err := transition(ctx, a, tx, c.ID, iam.ActionActivate, h.Now())
		if err != nil {
			return nil, err
		}
		tx.Emit(event.UserActivated{UserID: u.ID, From: string(from)})
		return u, nil
	})
}
