// Package app is the IAM application layer (CQRS): typed commands that change state and
// queries that read it, each a decorated handler. The HTTP adapter calls Application and nothing
// below it.
package app

import (
	"github.com/telemetryflow/core/internal/app/command"
	"github.com/telemetryflow/core/internal/app/decorator"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/app/query"
	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/domain/oauth"
)

// Application is the command bus and the query bus: one typed, decorated handler per use case.
type Application struct {
	Commands Commands
	Queries  Queries
}

type (
	cmd[C, R any] = decorator.CommandHandler[C, R]
	qry[Q, R any] = decorator.QueryHandler[Q, R]
)

// Commands change state.
type Commands struct {
	CreateRegion       cmd[command.CreateRegion, *iam.Region]
	UpdateRegion       cmd[command.UpdateRegion, *iam.Region]
	DeleteRegion       cmd[command.DeleteRegion, command.Done]
	CreateTenant       cmd[command.CreateTenant, *iam.Tenant]
	UpdateTenant       cmd[command.UpdateTenant, *iam.Tenant]
	DeleteTenant       cmd[command.DeleteTenant, command.Done]
	CreateOrganization cmd[command.CreateOrganization, *iam.Organization]
	UpdateOrganization cmd[command.UpdateOrganization, *iam.Organization]
	DeleteOrganization cmd[command.DeleteOrganization, command.Done]
	CreateWorkspace    cmd[command.CreateWorkspace, *iam.Workspace]
	UpdateWorkspace    cmd[command.UpdateWorkspace, *iam.Workspace]
	DeleteWorkspace    cmd[command.DeleteWorkspace, command.Done]

	CreateUser        cmd[command.CreateUser, *iam.User]
	UpdateUser        cmd[command.UpdateUser, *iam.User]
	DeleteUser        cmd[command.DeleteUser, command.Done]
	ActivateUser      cmd[command.ActivateUser, *iam.User]
	DeactivateUser    cmd[command.DeactivateUser, *iam.User]
	ResetUserPassword cmd[command.ResetUserPassword, command.Done]
	// Session control and MFA reset (docs/mfa-and-sessions.md).
	RevokeUserSessions cmd[command.RevokeUserSessions, command.Done]
	ResetUserMFA       cmd[command.ResetUserMFA, command.Done]

	CreateRole       cmd[command.CreateRole, *iam.Role]
	UpdateRole       cmd[command.UpdateRole, *iam.Role]
	DeleteRole       cmd[command.DeleteRole, command.Done]
	CreatePermission cmd[command.CreatePermission, *iam.Permission]
	UpdatePermission cmd[command.UpdatePermission, *iam.Permission]
	DeletePermission cmd[command.DeletePermission, command.Done]
	CreateGroup      cmd[command.CreateGroup, *iam.Group]
	UpdateGroup      cmd[command.UpdateGroup, *iam.Group]
	DeleteGroup      cmd[command.DeleteGroup, command.Done]

	AssignUserRole       cmd[command.AssignUserRole, *iam.RoleGrant]
	RevokeUserRole       cmd[command.RevokeUserRole, command.Done]
	RevokeAllUserRoles   cmd[command.RevokeAllUserRoles, command.Done]
	GrantUserPermission  cmd[command.GrantUserPermission, *iam.PermissionGrant]
	RevokeUserPermission cmd[command.RevokeUserPermission, command.Done]
	AddRolePermission    cmd[command.AddRolePermission, *iam.PermissionGrant]
	RemoveRolePermission cmd[command.RemoveRolePermission, command.Done]
	AddGroupMember       cmd[command.AddGroupMember, command.Done]
	RemoveGroupMember    cmd[command.RemoveGroupMember, command.Done]
	AddGroupRole         cmd[command.AddGroupRole, *iam.RoleGrant]
	RemoveGroupRole      cmd[command.RemoveGroupRole, command.Done]

	CreateApiKey         cmd[command.CreateApiKey, *command.CreatedAPIKey]
	RevokeApiKey         cmd[command.RevokeApiKey, command.Done]
	RevokeUserApiKey     cmd[command.RevokeUserApiKey, command.Done]
	CreateServiceAccount cmd[command.CreateServiceAccount, *iam.User]
	UpdateServiceAccount cmd[command.UpdateServiceAccount, *iam.User]
	DeleteServiceAccount cmd[command.DeleteServiceAccount, command.Done]
	MintClientSecret     cmd[command.MintClientSecret, *command.MintedSecret]
	RevokeClientSecret   cmd[command.RevokeClientSecret, command.Done]
	AddClientKey         cmd[command.AddClientKey, *oauth.Key]
	RevokeClientKey      cmd[command.RevokeClientKey, command.Done]
}

// Queries read state.
type Queries struct {
	GetRegion                qry[query.GetRegion, *iam.Region]
	ListRegions              qry[query.ListRegions, port.Page[iam.Region]]
	GetTenant                qry[query.GetTenant, *iam.Tenant]
	ListTenants              qry[query.ListTenants, port.Page[iam.Tenant]]
	GetOrganization          qry[query.GetOrganization, *iam.Organization]
	ListOrganizations        qry[query.ListOrganizations, port.Page[iam.Organization]]
	GetWorkspace             qry[query.GetWorkspace, *iam.Workspace]
	ListWorkspaces           qry[query.ListWorkspaces, port.Page[iam.Workspace]]
	GetUser                  qry[query.GetUser, *iam.User]
	ListUsers                qry[query.ListUsers, port.Page[iam.User]]
	GetRole                  qry[query.GetRole, *iam.Role]
	ListRoles                qry[query.ListRoles, port.Page[iam.Role]]
	GetPermission            qry[query.GetPermission, *iam.Permission]
	ListPermissions          qry[query.ListPermissions, port.Page[iam.Permission]]
	GetGroup                 qry[query.GetGroup, *iam.Group]
	ListGroups               qry[query.ListGroups, port.Page[iam.Group]]
	ListUserRoles            qry[query.ListUserRoles, port.Page[iam.RoleGrant]]
	ListUserPermissions      qry[query.ListUserPermissions, port.Page[iam.PermissionGrant]]
	UserEffectivePermissions qry[query.GetUserEffectivePermissions, []iam.EffectivePermission]
	ListUserSessions         qry[query.ListUserSessions, []authn.Session]
	ListRolePermissions      qry[query.ListRolePermissions, port.Page[iam.PermissionGrant]]
	ListRoleUsers            qry[query.ListRoleUsers, port.Page[iam.User]]
	ListGroupMembers         qry[query.ListGroupMembers, port.Page[iam.User]]
	ListGroupRoles           qry[query.ListGroupRoles, port.Page[iam.RoleGrant]]
	GetMe                    qry[query.GetMe, query.Me]
	ListApiKeys              qry[query.ListApiKeys, []authn.APIKey]
	ListUserApiKeys          qry[query.ListUserApiKeys, []authn.APIKey]
	GetServiceAccount        qry[query.GetServiceAccount, *iam.User]
	ListServiceAccounts      qry[query.ListServiceAccounts, port.Page[iam.User]]
	ListClientSecrets        qry[query.ListClientSecrets, []oauth.Secret]
	ListClientKeys           qry[query.ListClientKeys, []oauth.Key]
}
