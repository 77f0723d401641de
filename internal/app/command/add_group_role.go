package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// AddGroupRole grants a role to a group, so every member inherits it. Same rules as assigning
// a role to a user: visible role, grantable in the group's organization, tier rule, everything
// it carries held by the caller, and the acting-on rule for every member.
type AddGroupRole struct {
	GroupID uuid.UUID `json:"group_id"`
	RoleID  uuid.UUID `json:"role_id"`
}

// AddGroupRoleHandler handles AddGroupRole.
type AddGroupRoleHandler struct{ Deps }

func (h AddGroupRoleHandler) Handle(ctx context.Context, c AddGroupRole) (*iam.RoleGrant, error) {
	a, err := h.Actors.Resolve(ctx)
	if err != nil {
		return nil, err
	}
	var g *iam.RoleGrant
	return result(g, h.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		grp, err := tx.Groups().Get(ctx, a.Scope(), c.GroupID)
		if err != nil {
			return err
		}
		audited(ctx, grp.ID, grp.OrganizationID)
		r, err := tx.Roles().Get(ctx, a.Scope(), c.RoleID)
		if err != nil {
			return refErr(err, "role_id", "role")
		}
		if err := checkRole(ctx, a, tx, r, "grant"); err != nil {
			return err
		}
		if err := checkMembers(ctx, a, tx, grp); err != nil {
			return err
		}
		org, err := tx.Organizations().Get(ctx, port.Everything, grp.OrganizationID)
		if err != nil {
			return err
		}
		if err := r.EnsureGrantableTo(org.TenantID, org.ID); err != nil {
			return err
		}
		as := a.Assignment(port.Assignment{At: h.Now()})
		if err := tx.Grants().AddGroupRole(ctx, c.GroupID, c.RoleID, as); err != nil {
			return err
		}
		g = &iam.RoleGrant{Role: *r, AssignedAt: iam.Stamp(as.At), AssignedBy: as.By}
		tx.Emit(event.GroupRoleAdded{GroupID: c.GroupID, RoleID: c.RoleID})
		return nil
	}))
}
