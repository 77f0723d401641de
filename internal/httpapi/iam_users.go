package httpapi

import (
	"context"

	"github.com/telemetryflow/core/internal/app/command"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/app/query"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/oas"
)

// CreateUser implements createUser.
func (a *IAMAPI) CreateUser(ctx context.Context, req *oas.UserCreate) (*oas.User, error) {
	u, err := a.app.Commands.CreateUser.Handle(ctx, command.CreateUser{OrganizationID: req.OrganizationID,
		UserFields: iam.UserFields{Email: &req.Email, FirstName: &req.FirstName, LastName: &req.LastName},
		Password:   req.Password})
	return respond(u, err, userOut)
}

// GetUser implements getUser.
func (a *IAMAPI) GetUser(ctx context.Context, p oas.GetUserParams) (*oas.User, error) {
	u, err := a.app.Queries.GetUser.Handle(ctx, query.GetUser{ID: p.ID})
	return respond(u, err, userOut)
}

// ListUsers implements listUsers.
func (a *IAMAPI) ListUsers(ctx context.Context, p oas.ListUsersParams) (*oas.UserList, error) {
	f := port.UserFilter{Q: p.Q.Or(""), OrganizationID: optUUIDPtr(p.OrganizationID), Email: p.Email.Or("")}
	if s, ok := p.Status.Get(); ok {
		st := iam.UserStatus(s)
		f.Status = &st
	}
	sort := ""
	if s, ok := p.Sort.Get(); ok {
		sort = string(s)
	}
	page, err := a.app.Queries.ListUsers.Handle(ctx, query.ListUsers{Filter: f, Page: pageOf(p.Limit, p.Offset, p.Cursor, sort)})
	return userList(page, err)
}

// UpdateUser implements updateUser.
func (a *IAMAPI) UpdateUser(ctx context.Context, req *oas.UserUpdate, p oas.UpdateUserParams) (*oas.User, error) {
	u, err := a.app.Commands.UpdateUser.Handle(ctx, command.UpdateUser{ID: p.ID, UserFields: iam.UserFields{
		Email: optString(req.Email), FirstName: optString(req.FirstName), LastName: optString(req.LastName)}})
	return respond(u, err, userOut)
}

// DeleteUser implements deleteUser.
func (a *IAMAPI) DeleteUser(ctx context.Context, p oas.DeleteUserParams) error {
	_, err := a.app.Commands.DeleteUser.Handle(ctx, command.DeleteUser{ID: p.ID})
	return err
}

// ActivateUser implements activateUser.
func (a *IAMAPI) ActivateUser(ctx context.Context, p oas.ActivateUserParams) (*oas.User, error) {
	u, err := a.app.Commands.ActivateUser.Handle(ctx, command.ActivateUser{ID: p.ID})
	return respond(u, err, userOut)
}

// DeactivateUser implements deactivateUser.
func (a *IAMAPI) DeactivateUser(ctx context.Context, p oas.DeactivateUserParams) (*oas.User, error) {
	u, err := a.app.Commands.DeactivateUser.Handle(ctx, command.DeactivateUser{ID: p.ID})
	return respond(u, err, userOut)
}

// ResetUserPassword implements resetUserPassword.
func (a *IAMAPI) ResetUserPassword(ctx context.Context, req *oas.ResetPasswordRequest, p oas.ResetUserPasswordParams) error {
	_, err := a.app.Commands.ResetUserPassword.Handle(ctx, command.ResetUserPassword{ID: p.ID, NewPassword: req.NewPassword})
	return err
}

func userList(page port.Page[iam.User], err error) (*oas.UserList, error) {
	if err != nil {
		return nil, err
	}
	return &oas.UserList{Items: listOf(page.Items, userOut), NextCursor: nextCursor(page.NextCursor), Total: page.Total}, nil
}
