package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// Service accounts are users of kind service: created active, without a password, and
// changed under exactly the rules of users (placement, the acting-on rule) — each use case
// below is the user one with the kind checked.

// CreateServiceAccount adds an active service account to a live organization in the
// caller's scope.
type CreateServiceAccount struct {
	OrganizationID uuid.UUID `json:"organization_id"`
	iam.ServiceAccountFields
}

// CreateServiceAccountHandler handles CreateServiceAccount.
type CreateServiceAccountHandler struct{ Deps }

func (h CreateServiceAccountHandler) Handle(ctx context.Context, c CreateServiceAccount) (*iam.User, error) {
	return change(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) (*iam.User, error) {
		u, err := iam.NewServiceAccount(c.OrganizationID, c.ServiceAccountFields, h.Now())
		if err != nil {
			return nil, err
		}
		if err := inOrganization(ctx, a, tx, c.OrganizationID, u.ID); err != nil {
			return nil, err
		}
		return created(ctx, tx, tx.Users(), u, event.UserCreated{UserID: u.ID, OrganizationID: u.OrganizationID, Email: u.Email})
	})
}

// UpdateServiceAccount renames or describes a service account.
type UpdateServiceAccount struct {
	ID uuid.UUID `json:"id"`
	iam.ServiceAccountFields
}

// UpdateServiceAccountHandler handles UpdateServiceAccount.
type UpdateServiceAccountHandler struct{ Deps }

func (h UpdateServiceAccountHandler) Handle(ctx context.Context, c UpdateServiceAccount) (*iam.User, error) {
	return change(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) (*iam.User, error) {
		u, err := targetServiceAccount(ctx, a, tx, c.ID)
		if err != nil {
			return nil, err
		}
		if err := u.ApplyServiceAccount(c.ServiceAccountFields, h.Now()); err != nil {
			return nil, err
		}
		return updated(ctx, tx, tx.Users(), u, event.UserUpdated{UserID: u.ID, Email: u.Email})
	})
}

// DeleteServiceAccount deletes a service account: its sessions end in the same transaction,
// and its secrets and keys authenticate nothing any more (the account is gone).
type DeleteServiceAccount struct {
	ID uuid.UUID `json:"id"`
}

// DeleteServiceAccountHandler handles DeleteServiceAccount.
type DeleteServiceAccountHandler struct{ Deps }

func (h DeleteServiceAccountHandler) Handle(ctx context.Context, c DeleteServiceAccount) (Done, error) {
	return act(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) error {
		if _, err := targetServiceAccount(ctx, a, tx, c.ID); err != nil {
			return err
		}
		u, _, revoked, err := transition(ctx, a, tx, c.ID, iam.ActionDelete, h.Now())
		if err != nil {
			return err
		}
		tx.Emit(event.UserDeleted{UserID: u.ID, SessionsRevoked: revoked})
		return nil
	})
}

// targetServiceAccount is targetUser for a service account: a human user's id answers not
// found, like an absent one.
func targetServiceAccount(ctx context.Context, a *actor.Actor, tx port.Tx, id uuid.UUID) (*iam.User, error) {
	u, err := targetUser(ctx, a, tx, id)
	if errs.IsKind(err, errs.KindNotFound) || (err == nil && !u.IsService()) {
		return nil, errs.NotFound("service_account")
	}
	return u, err
}
