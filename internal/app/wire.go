package app

import (
	"crypto/rand"
	"errors"
	"time"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/command"
	"github.com/telemetryflow/core/internal/app/decorator"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/app/query"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// Config is what the application is built from.
type Config struct {
	UoW    port.UnitOfWork
	Read   port.Reader
	Hasher command.Hasher
	Policy iam.PasswordPolicy
	// Observe receives logs, spans, metrics and DATA audit events of every handler.
	Observe decorator.Observer
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Sessions lists users' sessions for administrators (store.Store.SessionList); nil
	// leaves ListUserSessions failing.
	Sessions port.SessionLister
	// Factors reads users' second factors for GetMe (store.Store.MFA); nil: reported off.
	Factors query.Factors
	// Callers, when set, answers "who is calling" (standing and effective permissions) for
	// every request, typically from a cache; nil means Read.Access().
	Callers port.Access
	// Keys mints API keys (internal/crypto/apikey); nil refuses to create one.
	Keys command.KeyMinter
	// ClientSecretKey keys the hash of service accounts' client secrets (at least 32 bytes;
	// nil: a random key of this process, for tests that never authenticate a client).
	ClientSecretKey []byte
}

// Validate reports missing collaborators.
func (c Config) Validate() error {
	var problems []error
	if c.UoW == nil {
		problems = append(problems, errors.New("app: unit of work is required"))
	}
	if c.Read == nil {
		problems = append(problems, errors.New("app: reader is required"))
	}
	if c.Hasher == nil {
		problems = append(problems, errors.New("app: password hasher is required"))
	}
	if c.Policy.Min < 1 || c.Policy.Max < c.Policy.Min {
		problems = append(problems, errors.New("app: password policy bounds are invalid"))
	}
	return errors.Join(problems...)
}

// New builds the application.
func New(cfg Config) (*Application, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	callers := cfg.Callers
	if callers == nil {
		callers = cfg.Read.Access()
	}
	actors := actor.NewResolver(callers)
	if cfg.ClientSecretKey == nil {
		cfg.ClientSecretKey = make([]byte, 32)
		_, _ = rand.Read(cfg.ClientSecretKey)
	}
	cd := command.Deps{UoW: cfg.UoW, Read: cfg.Read, Actors: actors, Now: cfg.Now, Hasher: cfg.Hasher, Policy: cfg.Policy,
		ClientSecretKey: cfg.ClientSecretKey, Keys: cfg.Keys}
	if cfg.Observe.Audit != nil {
		var err error
		if cd.AuthAudit, err = audit.NewLog(audit.LogConfig{Recorder: cfg.Observe.Audit, Logger: cfg.Observe.Log}); err != nil {
			return nil, err
		}
	}
	qd := query.Deps{Read: cfg.Read, Actors: actors, Sessions: cfg.Sessions, Factors: cfg.Factors, Now: cfg.Now}
	o := cfg.Observe
	ordinary, sensitive := audit.ReadOrdinary, audit.ReadSensitive
	return &Application{
		Commands: Commands{
			CreateRegion:       decorator.Command(command.CreateRegionHandler{Deps: cd}, o, "region"),
			UpdateRegion:       decorator.Command(command.UpdateRegionHandler{Deps: cd}, o, "region"),
			DeleteRegion:       decorator.Command(command.DeleteRegionHandler{Deps: cd}, o, "region"),
			CreateTenant:       decorator.Command(command.CreateTenantHandler{Deps: cd}, o, "tenant"),
			UpdateTenant:       decorator.Command(command.UpdateTenantHandler{Deps: cd}, o, "tenant"),
			DeleteTenant:       decorator.Command(command.DeleteTenantHandler{Deps: cd}, o, "tenant"),
			CreateOrganization: decorator.Command(command.CreateOrganizationHandler{Deps: cd}, o, "organization"),
			UpdateOrganization: decorator.Command(command.UpdateOrganizationHandler{Deps: cd}, o, "organization"),
			DeleteOrganization: decorator.Command(command.DeleteOrganizationHandler{Deps: cd}, o, "organization"),
			CreateWorkspace:    decorator.Command(command.CreateWorkspaceHandler{Deps: cd}, o, "workspace"),
			UpdateWorkspace:    decorator.Command(command.UpdateWorkspaceHandler{Deps: cd}, o, "workspace"),
			DeleteWorkspace:    decorator.Command(command.DeleteWorkspaceHandler{Deps: cd}, o, "workspace"),

			CreateUser:        decorator.Command(command.CreateUserHandler{Deps: cd}, o, "user"),
			UpdateUser:        decorator.Command(command.UpdateUserHandler{Deps: cd}, o, "user"),
			DeleteUser:        decorator.Command(command.DeleteUserHandler{Deps: cd}, o, "user"),
			ActivateUser:      decorator.Command(command.ActivateUserHandler{Deps: cd}, o, "user"),
			DeactivateUser:    decorator.Command(command.DeactivateUserHandler{Deps: cd}, o, "user"),
			ResetUserPassword: decorator.Command(command.ResetUserPasswordHandler{Deps: cd}, o, "user"),
			// Session control and MFA reset (docs/mfa-and-sessions.md).
			RevokeUserSessions: decorator.Command(command.RevokeUserSessionsHandler{Deps: cd}, o, "user"),
			ResetUserMFA:       decorator.Command(command.ResetUserMFAHandler{Deps: cd}, o, "user"),

			CreateRole:       decorator.Command(command.CreateRoleHandler{Deps: cd}, o, "role"),
			UpdateRole:       decorator.Command(command.UpdateRoleHandler{Deps: cd}, o, "role"),
			DeleteRole:       decorator.Command(command.DeleteRoleHandler{Deps: cd}, o, "role"),
			CreatePermission: decorator.Command(command.CreatePermissionHandler{Deps: cd}, o, "permission"),
			UpdatePermission: decorator.Command(command.UpdatePermissionHandler{Deps: cd}, o, "permission"),
			DeletePermission: decorator.Command(command.DeletePermissionHandler{Deps: cd}, o, "permission"),
			CreateGroup:      decorator.Command(command.CreateGroupHandler{Deps: cd}, o, "group"),
			UpdateGroup:      decorator.Command(command.UpdateGroupHandler{Deps: cd}, o, "group"),
			DeleteGroup:      decorator.Command(command.DeleteGroupHandler{Deps: cd}, o, "group"),

			AssignUserRole:       decorator.Command(command.AssignUserRoleHandler{Deps: cd}, o, "user"),
			RevokeUserRole:       decorator.Command(command.RevokeUserRoleHandler{Deps: cd}, o, "user"),
			RevokeAllUserRoles:   decorator.Command(command.RevokeAllUserRolesHandler{Deps: cd}, o, "user"),
			GrantUserPermission:  decorator.Command(command.GrantUserPermissionHandler{Deps: cd}, o, "user"),
			RevokeUserPermission: decorator.Command(command.RevokeUserPermissionHandler{Deps: cd}, o, "user"),
			AddRolePermission:    decorator.Command(command.AddRolePermissionHandler{Deps: cd}, o, "role"),
			RemoveRolePermission: decorator.Command(command.RemoveRolePermissionHandler{Deps: cd}, o, "role"),
			AddGroupMember:       decorator.Command(command.AddGroupMemberHandler{Deps: cd}, o, "group"),
			RemoveGroupMember:    decorator.Command(command.RemoveGroupMemberHandler{Deps: cd}, o, "group"),
			AddGroupRole:         decorator.Command(command.AddGroupRoleHandler{Deps: cd}, o, "group"),
			RemoveGroupRole:      decorator.Command(command.RemoveGroupRoleHandler{Deps: cd}, o, "group"),

			CreateApiKey:         decorator.Command(command.CreateApiKeyHandler{Deps: cd}, o, "api_key"),
			RevokeApiKey:         decorator.Command(command.RevokeApiKeyHandler{Deps: cd}, o, "api_key"),
			RevokeUserApiKey:     decorator.Command(command.RevokeUserApiKeyHandler{Deps: cd}, o, "api_key"),
			CreateServiceAccount: decorator.Command(command.CreateServiceAccountHandler{Deps: cd}, o, "service_account"),
			UpdateServiceAccount: decorator.Command(command.UpdateServiceAccountHandler{Deps: cd}, o, "service_account"),
			DeleteServiceAccount: decorator.Command(command.DeleteServiceAccountHandler{Deps: cd}, o, "service_account"),
			MintClientSecret:     decorator.Command(command.MintClientSecretHandler{Deps: cd}, o, "client_secret"),
			RevokeClientSecret:   decorator.Command(command.RevokeClientSecretHandler{Deps: cd}, o, "client_secret"),
			AddClientKey:         decorator.Command(command.AddClientKeyHandler{Deps: cd}, o, "client_key"),
			RevokeClientKey:      decorator.Command(command.RevokeClientKeyHandler{Deps: cd}, o, "client_key"),
		},
		Queries: Queries{
			GetRegion:         decorator.Query(query.GetRegionHandler{Deps: qd}, o, "region", ordinary),
			ListRegions:       decorator.Query(query.ListRegionsHandler{Deps: qd}, o, "region", ordinary),
			GetTenant:         decorator.Query(query.GetTenantHandler{Deps: qd}, o, "tenant", ordinary),
			ListTenants:       decorator.Query(query.ListTenantsHandler{Deps: qd}, o, "tenant", ordinary),
			GetOrganization:   decorator.Query(query.GetOrganizationHandler{Deps: qd}, o, "organization", ordinary),
			ListOrganizations: decorator.Query(query.ListOrganizationsHandler{Deps: qd}, o, "organization", ordinary),
			GetWorkspace:      decorator.Query(query.GetWorkspaceHandler{Deps: qd}, o, "workspace", ordinary),
			ListWorkspaces:    decorator.Query(query.ListWorkspacesHandler{Deps: qd}, o, "workspace", ordinary),
			GetUser:           decorator.Query(query.GetUserHandler{Deps: qd}, o, "user", ordinary),
			ListUsers:         decorator.Query(query.ListUsersHandler{Deps: qd}, o, "user", ordinary),
			GetRole:           decorator.Query(query.GetRoleHandler{Deps: qd}, o, "role", ordinary),
			ListRoles:         decorator.Query(query.ListRolesHandler{Deps: qd}, o, "role", ordinary),
			GetPermission:     decorator.Query(query.GetPermissionHandler{Deps: qd}, o, "permission", ordinary),
			ListPermissions:   decorator.Query(query.ListPermissionsHandler{Deps: qd}, o, "permission", ordinary),
			GetGroup:          decorator.Query(query.GetGroupHandler{Deps: qd}, o, "group", ordinary),
			ListGroups:        decorator.Query(query.ListGroupsHandler{Deps: qd}, o, "group", ordinary),
			// Who holds what is sensitive: TF_AUDIT_READS=sensitive still records these.
			ListUserRoles:            decorator.Query(query.ListUserRolesHandler{Deps: qd}, o, "user", sensitive),
			ListUserPermissions:      decorator.Query(query.ListUserPermissionsHandler{Deps: qd}, o, "user", sensitive),
			UserEffectivePermissions: decorator.Query(query.GetUserEffectivePermissionsHandler{Deps: qd}, o, "user", sensitive),
			ListUserSessions:         decorator.Query(query.ListUserSessionsHandler{Deps: qd}, o, "user", sensitive),
			ListRolePermissions:      decorator.Query(query.ListRolePermissionsHandler{Deps: qd}, o, "role", ordinary),
			ListRoleUsers:            decorator.Query(query.ListRoleUsersHandler{Deps: qd}, o, "role", sensitive),
			ListGroupMembers:         decorator.Query(query.ListGroupMembersHandler{Deps: qd}, o, "group", sensitive),
			ListGroupRoles:           decorator.Query(query.ListGroupRolesHandler{Deps: qd}, o, "group", ordinary),
			GetMe:                    decorator.Query(query.GetMeHandler{Deps: qd}, o, "user", ordinary),
			// Which credentials a user holds is sensitive.
			ListApiKeys:         decorator.Query(query.ListApiKeysHandler{Deps: qd}, o, "api_key", sensitive),
			ListUserApiKeys:     decorator.Query(query.ListUserApiKeysHandler{Deps: qd}, o, "api_key", sensitive),
			GetServiceAccount:   decorator.Query(query.GetServiceAccountHandler{Deps: qd}, o, "service_account", ordinary),
			ListServiceAccounts: decorator.Query(query.ListServiceAccountsHandler{Deps: qd}, o, "service_account", ordinary),
			ListClientSecrets:   decorator.Query(query.ListClientSecretsHandler{Deps: qd}, o, "client_secret", sensitive),
			ListClientKeys:      decorator.Query(query.ListClientKeysHandler{Deps: qd}, o, "client_key", sensitive),
		},
	}, nil
}
