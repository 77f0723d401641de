package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// UpdateRole changes a custom role's name, description or tier; system roles are immutable.
type UpdateRole struct {
	ID uuid.UUID `json:"id"`
	iam.RoleFields
}

// UpdateRoleHandler handles UpdateRole.
type UpdateRoleHandler struct{ Deps }

func (h UpdateRoleHandler) Handle(ctx context.Context, c UpdateRole) (*iam.Role, error) {
	return change(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) (*iam.Role, error) {
		r, err := targetRole(ctx, a, tx, c.ID)
		if err != nil {
			return nil, err
		}
		if err := r.Apply(c.RoleFields, h.Now()); err != nil {
			return nil, err
		}
		// Raising a role's tier is granting it anew to all its holders.
		if err := a.CheckTier(r.Tier); err != nil {
			return nil, err
		}
		return updated(ctx, tx, tx.Roles(), r, event.RoleUpdated{RoleID: r.ID, Name: r.Name, Tier: int(r.Tier)})
	})
}
