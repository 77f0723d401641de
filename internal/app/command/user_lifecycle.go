package command

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// The user lifecycle's three transitions (iam.UserStatus.Next holds the state machine). Each
// applies the acting-on rule to the user, keeps the last active super administrator, and ends
// every session of a user who can no longer log in, in the same transaction: transition is
// their one skeleton.

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

// transition moves a user through the lifecycle inside tx and, when the user can no longer
// log in afterwards, revokes all their sessions in the same transaction. It answers the user,
// the state it left and how many sessions ended.
func transition(ctx context.Context, a *actor.Actor, tx port.Tx, id uuid.UUID, action iam.UserAction, now time.Time) (*iam.User, iam.UserStatus, int, error) {
	u, err := targetUser(ctx, a, tx, id)
	if err != nil {
		return nil, "", 0, err
	}
	from := u.Status
	if err := u.Transition(action, now); err != nil {
		return nil, "", 0, err
	}
	revoked := 0
	// Only an active user can be the last active super administrator.
	err = keepSuperAdministratorIf(ctx, tx, from == iam.StatusActive, func() error {
		if err := tx.Users().Update(ctx, u); err != nil {
			return err
		}
		if u.Status.CanLogIn() {
			return nil
		}
		var err error
		revoked, err = tx.Sessions().RevokeAll(ctx, u.ID, "user_"+string(u.Status), now)
		return err
	})
	if err != nil {
		return nil, "", 0, err
	}
	return u, from, revoked, nil
}
