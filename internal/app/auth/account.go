package auth

import (
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent"
)

// Account is the user as the authentication flows return it.
type Account struct {
	ID                uuid.UUID
	Email             string
	FirstName         string
	LastName          string
	OrganizationID    uuid.UUID
	TenantID          uuid.UUID
	Status            string
	LastLoginAt       *time.Time
	LockedUntil       *time.Time
	PasswordChangedAt *time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

func accountOf(u *ent.User, tenant uuid.UUID) Account {
	return Account{
		ID: u.ID, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName,
		OrganizationID: u.OrganizationID, TenantID: tenant, Status: string(u.Status),
		LastLoginAt: u.LastLoginAt, LockedUntil: u.LockedUntil, PasswordChangedAt: u.PasswordChangedAt,
		CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt,
	}
}

// Grant is what a successful login or refresh hands out.
type Grant struct {
	AccessToken  string
	ExpiresIn    time.Duration
	RefreshToken string
	SessionID    uuid.UUID
	Account      Account
}
