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
	g, err := a.app.Commands.CreateGroup.Handle(ctx, command.CreateGroup{OrganizationID: req.OrganizationID,
		GroupFields: iam.GroupFields{Name: &req.Name, Description: optString(req.Description)}})
	return respond(g, err, groupOut)
}

// GetGroup implements getGroup.
func (a *IAMAPI) GetGroup(ctx context.Context, p oas.GetGroupParams) (*oas.Group, error) {
	g, err := a.app.Queries.GetGroup.Handle(ctx, query.GetGroup{ID: p.ID})
	return respond(g, err, groupOut)
}

// ListGroups implements listGroups.
func (a *IAMAPI) ListGroups(ctx context.Context, p oas.ListGroupsParams) (*oas.GroupList, error) {
	page, err := a.app.Queries.ListGroups.Handle(ctx, query.ListGroups{
		Filter: port.GroupFilter{Q: p.Q.Or(""), OrganizationID: optUUIDPtr(p.OrganizationID)},
		Page:   pageOf(p.Limit, p.Offset, p.Cursor, sortByName(p.Sort)),
	})
	if err != nil {
		return nil, err
	}
	return &oas.GroupList{Items: listOf(page.Items, groupOut), NextCursor: nextCursor(page.NextCursor), Total: page.Total}, nil
}

// UpdateGroup implements updateGroup.
func (a *IAMAPI) UpdateGroup(ctx context.Context, req *oas.GroupUpdate, p oas.UpdateGroupParams) (*oas.Group, error) {
	g, err := a.app.Commands.UpdateGroup.Handle(ctx, command.UpdateGroup{ID: p.ID, GroupFields: iam.GroupFields{
		Name: optString(req.Name), Description: optString(req.Description)}})
	return respond(g, err, groupOut)
}

// DeleteGroup implements deleteGroup.
func (a *IAMAPI) DeleteGroup(ctx context.Context, p oas.DeleteGroupParams) error {
	_, err := a.app.Commands.DeleteGroup.Handle(ctx, command.DeleteGroup{ID: p.ID})
	return err
}

// ListGroupMembers implements listGroupMembers.
func (a *IAMAPI) ListGroupMembers(ctx context.Context, p oas.ListGroupMembersParams) (*oas.UserList, error) {
	page, err := a.app.Queries.ListGroupMembers.Handle(ctx, query.ListGroupMembers{GroupID: p.ID, Page: pageOf(p.Limit, p.Offset, p.Cursor, "")})
	return userList(page, err)
}

// AddGroupMember implements addGroupMember.
func (a *IAMAPI) AddGroupMember(ctx context.Context, req *oas.UserRef, p oas.AddGroupMemberParams) error {
	_, err := a.app.Commands.AddGroupMember.Handle(ctx, command.AddGroupMember{GroupID: p.ID, UserID: req.UserID})
	return err
}

// RemoveGroupMember implements removeGroupMember.
func (a *IAMAPI) RemoveGroupMember(ctx context.Context, p oas.RemoveGroupMemberParams) error {
	_, err := a.app.Commands.RemoveGroupMember.Handle(ctx, command.RemoveGroupMember{GroupID: p.ID, UserID: p.UserId})
	return err
}

// ListGroupRoles implements listGroupRoles.
func (a *IAMAPI) ListGroupRoles(ctx context.Context, p oas.ListGroupRolesParams) (*oas.RoleGrantList, error) {
	page, err := a.app.Queries.ListGroupRoles.Handle(ctx, query.ListGroupRoles{GroupID: p.ID, Page: pageOf(p.Limit, p.Offset, p.Cursor, "")})
	return roleGrantList(page, err)
}

// AddGroupRole implements addGroupRole.
func (a *IAMAPI) AddGroupRole(ctx context.Context, req *oas.RoleRef, p oas.AddGroupRoleParams) (*oas.RoleGrant, error) {
	g, err := a.app.Commands.AddGroupRole.Handle(ctx, command.AddGroupRole{GroupID: p.ID, RoleID: req.RoleID})
	return respond(g, err, roleGrantOut)
}

// RemoveGroupRole implements removeGroupRole.
func (a *IAMAPI) RemoveGroupRole(ctx context.Context, p oas.RemoveGroupRoleParams) error {
	_, err := a.app.Commands.RemoveGroupRole.Handle(ctx, command.RemoveGroupRole{GroupID: p.ID, RoleID: p.RoleId})
	return err
}
