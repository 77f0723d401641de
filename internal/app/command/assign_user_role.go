package command

import (
	"context"

	"github.com/google/uuid"

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
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return nil, err
	}
	var g *iam.RoleGrant
	return result(g, h.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		u, err := targetUser(ctx, a, tx, c.UserID)
		if err != nil {
			return err
		}
		audited(ctx, u.ID, u.OrganizationID)
		r, err := tx.Roles().Get(ctx, a.Scope(), c.RoleID)
		if err != nil {
			return refErr(err, "role_id", "role")
		}
		if err := checkRole(ctx, a, tx, r, "grant"); err != nil {
			return err
		}
		st, err := tx.Access().Standing(ctx, c.UserID)
		if err != nil {
			return err
		}
		if err := r.EnsureGrantableTo(st.TenantID, st.OrganizationID); err != nil {
			return err
		}
		as := a.Assignment(port.Assignment{At: h.Now()})
		if err := tx.Grants().AssignRole(ctx, c.UserID, c.RoleID, as); err != nil {
			return err
		}
		g = &iam.RoleGrant{Role: *r, AssignedAt: iam.Stamp(as.At), AssignedBy: as.By}
		tx.Emit(event.RoleAssigned{UserID: c.UserID, RoleID: c.RoleID, AssignedBy: as.By})
		return nil
	}))
}
