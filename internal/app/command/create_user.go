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
	return inTx(ctx, h.Deps, func(ctx context.Context, tx port.Tx) (*iam.User, error) {
		if err := inOrganization(ctx, a, tx, c.OrganizationID, u.ID); err != nil {
			return nil, err
		}
		return created(ctx, tx, tx.Users(), u, event.UserCreated{UserID: u.ID, OrganizationID: u.OrganizationID, Email: u.Email})
	})
}
