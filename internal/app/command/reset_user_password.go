package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// ResetUserPassword sets a user's password administratively: it clears any lockout and ends
// every session of the user in the same transaction.
type ResetUserPassword struct {
	ID          uuid.UUID `json:"id"`
	NewPassword string    `json:"-"`
}

// ResetUserPasswordHandler handles ResetUserPassword.
type ResetUserPasswordHandler struct{ Deps }

func (h ResetUserPasswordHandler) Handle(ctx context.Context, c ResetUserPassword) (Done, error) {
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return Done{}, err
	}
	// Check and hash outside the transaction (argon2id is slow); the user is loaded again
	// inside it.
	u, err := h.Read.Users().Get(ctx, a.Scope(), c.ID)
	if err != nil {
		return Done{}, err
	}
	audited(ctx, u.ID, u.OrganizationID)
	if u.IsService() {
		return Done{}, iam.NoPasswordForServiceAccount()
	}
	// Refuse before hashing, so a caller without power over the user cannot make the
	// server spend an argon2id hash; the rule is applied again inside the transaction.
	if err := a.CheckActsOn(ctx, h.Read.Access(), c.ID); err != nil {
		return Done{}, err
	}
	if err := h.Policy.Check(c.NewPassword, u.Email); err != nil {
		return Done{}, iam.PasswordField(err, "new_password")
	}
	hash, err := h.Hasher.Hash(ctx, c.NewPassword)
	if err != nil {
		return Done{}, err
	}
	return inTx(ctx, h.Deps, func(ctx context.Context, tx port.Tx) (Done, error) {
		u, err := targetUser(ctx, a, tx, c.ID)
		if err != nil {
			return Done{}, err
		}
		now := h.Now()
		u.SetPassword(hash, now)
		if err := tx.Users().Update(ctx, u); err != nil {
			return Done{}, err
		}
		revoked, err := tx.Sessions().RevokeAll(ctx, u.ID, "password_reset", now)
		if err != nil {
			return Done{}, err
		}
		tx.Emit(event.UserPasswordReset{UserID: u.ID, SessionsRevoked: revoked})
		return Done{}, nil
	})
}
