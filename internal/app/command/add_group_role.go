package command

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
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
	return change(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) (*iam.RoleGrant, error) {
		grp, err := targetGroup(ctx, a, tx, c.GroupID)
		if err != nil {
			return nil, err
		}
		r, err := roleToGrant(ctx, a, tx, c.RoleID)
		if err != nil {
			return nil, err
		}
		if err := checkMembers(ctx, a, tx, grp); err != nil {
			return nil, err
		}
		org, err := tx.Organizations().Get(ctx, port.Everything, grp.OrganizationID)
		if err != nil {
			return nil, err
		}
		if err := r.EnsureGrantableTo(org.TenantID, org.ID); err != nil {
			return nil, err
		}
		as := a.Assignment(port.Assignment{At: h.Now()})
		if err := tx.Grants().AddGroupRole(ctx, c.GroupID, c.RoleID, as); err != nil {
			return nil, err
		}
		tx.Emit(event.GroupRoleAdded{GroupID: c.GroupID, RoleID: c.RoleID})
		return &iam.RoleGrant{Role: *r, AssignedAt: iam.Stamp(as.At), AssignedBy: as.By}, nil
	})
}
