package command

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// targetUser loads a user the actor is about to change: it must be in scope, and the actor
// must hold everything the user holds (the acting-on rule, actor.CheckActsOn).
func targetUser(ctx context.Context, a *actor.Actor, tx port.Tx, id uuid.UUID) (*iam.User, error) {
	u, err := tx.Users().Get(ctx, a.Scope(), id)
	if err != nil {
		return nil, err
	}
	audited(ctx, u.ID, u.OrganizationID)
	if err := a.CheckActsOn(ctx, tx.Access(), id); err != nil {
		return nil, err
	}
	return u, nil
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
	change := func() error {
		if err := tx.Users().Update(ctx, u); err != nil {
			return err
		}
		if u.Status.CanLogIn() {
			return nil
		}
		revoked, err = tx.Sessions().RevokeAll(ctx, u.ID, "user_"+string(u.Status), now)
		return err
	}
	if from == iam.StatusActive {
		// Only an active user can be the last active super administrator.
		err = keepSuperAdministrator(ctx, tx, change)
	} else {
		err = change()
	}
	if err != nil {
		return nil, "", 0, err
	}
	return u, from, revoked, nil
}
