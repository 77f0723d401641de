package command

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/iam"
)

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
