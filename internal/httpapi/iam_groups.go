package httpapi

import (
	"context"

	"github.com/telemetryflow/core/internal/app/command"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/app/query"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/oas"
)

// CreateGroup implements createGroup.
func (a *IAMAPI) CreateGroup(ctx context.Context, req *oas.GroupCreate) (*oas.Group, error) {
	return call(ctx, a.commands.CreateGroup, command.CreateGroup{OrganizationID: req.OrganizationID,
		GroupFields: iam.GroupFields{Name: &req.Name, Description: optString(req.Description)}}, groupOut)
}

// GetGroup implements getGroup.
func (a *IAMAPI) GetGroup(ctx context.Context, p oas.GetGroupParams) (*oas.Group, error) {
	return call(ctx, a.queries.GetGroup, query.GetGroup{ID: p.ID}, groupOut)
}

// ListGroups implements listGroups.
func (a *IAMAPI) ListGroups(ctx context.Context, p oas.ListGroupsParams) (*oas.GroupList, error) {
	return page[oas.GroupList](ctx, a.queries.ListGroups, query.ListGroups{
		Filter: port.GroupFilter{Q: p.Q.Or(""), OrganizationID: optUUIDPtr(p.OrganizationID)},
		Page:   pageOf(p.Limit, p.Offset, p.Cursor, sortByName(p.Sort)),
	}, groupOut)
}

// UpdateGroup implements updateGroup.
func (a *IAMAPI) UpdateGroup(ctx context.Context, req *oas.GroupUpdate, p oas.UpdateGroupParams) (*oas.Group, error) {
	return call(ctx, a.commands.UpdateGroup, command.UpdateGroup{ID: p.ID, GroupFields: iam.GroupFields{
		Name: optString(req.Name), Description: optString(req.Description)}}, groupOut)
}

// DeleteGroup implements deleteGroup.
func (a *IAMAPI) DeleteGroup(ctx context.Context, p oas.DeleteGroupParams) error {
	return exec(ctx, a.commands.DeleteGroup, command.DeleteGroup{ID: p.ID})
}

// ListGroupMembers implements listGroupMembers.
func (a *IAMAPI) ListGroupMembers(ctx context.Context, p oas.ListGroupMembersParams) (*oas.UserList, error) {
	return page[oas.UserList](ctx, a.queries.ListGroupMembers, query.ListGroupMembers{GroupID: p.ID, Page: pageOf(p.Limit, p.Offset, p.Cursor, "")}, userOut)
}

// AddGroupMember implements addGroupMember.
func (a *IAMAPI) AddGroupMember(ctx context.Context, req *oas.UserRef, p oas.AddGroupMemberParams) error {
	return exec(ctx, a.commands.AddGroupMember, command.AddGroupMember{GroupID: p.ID, UserID: req.UserID})
}

// RemoveGroupMember implements removeGroupMember.
func (a *IAMAPI) RemoveGroupMember(ctx context.Context, p oas.RemoveGroupMemberParams) error {
	return exec(ctx, a.commands.RemoveGroupMember, command.RemoveGroupMember{GroupID: p.ID, UserID: p.UserId})
}

// ListGroupRoles implements listGroupRoles.
func (a *IAMAPI) ListGroupRoles(ctx context.Context, p oas.ListGroupRolesParams) (*oas.RoleGrantList, error) {
	return page[oas.RoleGrantList](ctx, a.queries.ListGroupRoles, query.ListGroupRoles{GroupID: p.ID, Page: pageOf(p.Limit, p.Offset, p.Cursor, "")}, roleGrantOut)
}

// AddGroupRole implements addGroupRole.
func (a *IAMAPI) AddGroupRole(ctx context.Context, req *oas.RoleRef, p oas.AddGroupRoleParams) (*oas.RoleGrant, error) {
	return call(ctx, a.commands.AddGroupRole, command.AddGroupRole{GroupID: p.ID, RoleID: req.RoleID}, roleGrantOut)
}

// RemoveGroupRole implements removeGroupRole.
func (a *IAMAPI) RemoveGroupRole(ctx context.Context, p oas.RemoveGroupRoleParams) error {
	return exec(ctx, a.commands.RemoveGroupRole, command.RemoveGroupRole{GroupID: p.ID, RoleID: p.RoleId})
}
