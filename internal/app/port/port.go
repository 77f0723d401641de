// Package port declares what the application needs from the outside world: repositories
// (implemented with ent in internal/store), a unit of work that commits a change together with
// its domain events, the access facts of users, and authentication's credentials, sessions,
// refresh tokens, failure counts and signing keys. The application depends on these
// interfaces only; the composition root plugs in the adapters.
package port

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/event"
)

// Scope limits what a caller sees and touches. A super administrator sees everything (All);
// anyone else sees their organization and what it contains, and reads its tenant and region.
// Resources outside the scope behave exactly as if they did not exist.
type Scope struct {
	All            bool
	OrganizationID uuid.UUID
	TenantID       uuid.UUID
	RegionID       uuid.UUID
}

// Everything is the scope of the system itself (seeding, background jobs, tests).
var Everything = Scope{All: true}

// UnitOfWork runs a change in one transaction. Events emitted through the Tx are written to the
// outbox in that same transaction and dispatched after commit; if fn fails nothing is written.
type UnitOfWork interface {
	Do(ctx context.Context, fn func(ctx context.Context, tx Tx) error) error
}

// Tx is the transactional view of the store.
type Tx interface {
	Regions() RegionRepository
	Tenants() TenantRepository
	Organizations() OrganizationRepository
	Workspaces() WorkspaceRepository
	Users() UserRepository
	Roles() RoleRepository
	Permissions() PermissionRepository
	Groups() GroupRepository
	Grants() GrantRepository
	Sessions() Sessions
	Access() Access
	// Authentication's repositories (port/auth.go).
	Credentials() CredentialRepository
	RefreshTokens() RefreshTokens
	LoginFailures() LoginFailures
	SigningKeys() SigningKeys
	APIKeys() APIKeys
	// MFA is the second factor's store (mfa.go).
	MFA() MFA
	// Machine identities' credentials (port/oauth.go).
	Clients() ClientCredentialRepository
	// Emit records events to be written to the outbox when the transaction commits.
	Emit(events ...event.Event)
}

// Reader is the non-transactional, read-only view queries use.
type Reader interface {
	Regions() Regions
	Tenants() Tenants
	Organizations() Organizations
	Workspaces() Workspaces
	Users() Users
	Roles() Roles
	Permissions() Permissions
	Groups() Groups
	Access() Access
	// APIKeys reads users' keys (on the primary, like authentication's reads).
	APIKeys() APIKeys
	Clients() ClientCredentials
}
