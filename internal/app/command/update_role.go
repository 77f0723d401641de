package command

import (
	"context"

	"github.com/google/uuid"

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
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return nil, err
	}
	var r *iam.Role
	return result(r, h.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		if r, err = targetRole(ctx, a, tx, c.ID); err != nil {
			return err
		}
		if err := r.Apply(c.RoleFields, h.Now()); err != nil {
			return err
		}
		// Raising a role's tier is granting it anew to all its holders.
		if err := a.CheckTier(r.Tier); err != nil {
			return err
		}
		if err := tx.Roles().Update(ctx, r); err != nil {
			return err
		}
		tx.Emit(event.RoleUpdated{RoleID: r.ID, Name: r.Name, Tier: int(r.Tier)})
		return nil
	}))
}
