package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// CreateUser adds a user, in status created, to a live organization in the caller's scope.
type CreateUser struct {
	OrganizationID uuid.UUID `json:"organization_id"`
	iam.UserFields
	Password string `json:"-"`
}

// CreateUserHandler handles CreateUser.
type CreateUserHandler struct{ Deps }

func (h CreateUserHandler) Handle(ctx context.Context, c CreateUser) (*iam.User, error) {
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return nil, err
	}
	u, err := iam.NewUser(c.OrganizationID, c.UserFields, c.Password, h.Policy, h.Now())
	if err != nil {
		return nil, err
	}
	// Hash before the transaction: argon2id takes tens of milliseconds and must not hold
	// SQLite's write lock meanwhile.
	hash, err := h.Hasher.Hash(ctx, c.Password)
	if err != nil {
		return nil, err
	}
	u.SetPassword(hash, h.Now())
	return result(u, h.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		if _, err := tx.Organizations().Get(ctx, a.Scope(), c.OrganizationID); err != nil {
			return refErr(err, "organization_id", "organization")
		}
		audited(ctx, u.ID, u.OrganizationID)
		if err := tx.Users().Create(ctx, u); err != nil {
			return err
		}
		tx.Emit(event.UserCreated{UserID: u.ID, OrganizationID: u.OrganizationID, Email: u.Email})
		return nil
	}))
}
