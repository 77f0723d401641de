package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// AssignUserRole grants a role to a user directly. The role must be one the caller can see,
// grantable in the user's organization, not above the caller's tier, and carry nothing the
// caller does not hold; the caller must hold everything the user holds (acting-on rule).
type AssignUserRole struct {
	UserID uuid.UUID `json:"user_id"`
	RoleID uuid.UUID `json:"role_id"`
}

// AssignUserRoleHandler handles AssignUserRole.
type AssignUserRoleHandler struct{ Deps }

func (h AssignUserRoleHandler) Handle(ctx context.Context, c AssignUserRole) (*iam.RoleGrant, error) {
	return change(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) (*iam.RoleGrant, error) {
		if _, err := targetUser(ctx, a, tx, c.UserID); err != nil {
			return nil, err
		}
		r, err := roleToGrant(ctx, a, tx, c.RoleID)
		if err != nil {
			return nil, err
		}
		st, err := tx.Access().Standing(ctx, c.UserID)
		if err != nil {
			return nil, err
		}
		if err := r.EnsureGrantableTo(st.TenantID, st.OrganizationID); err != nil {
			return nil, err
		}
		as := a.Assignment(port.Assignment{At: h.Now()})
		if err := tx.Grants().AssignRole(ctx, c.UserID, c.RoleID, as); err != nil {
			return nil, err
		}
		tx.Emit(event.RoleAssigned{UserID: c.UserID, RoleID: c.RoleID, AssignedBy: as.By})
		return &iam.RoleGrant{Role: *r, AssignedAt: iam.Stamp(as.At), AssignedBy: as.By}, nil
	})
}
