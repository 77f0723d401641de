package httpapi

import (
	"github.com/telemetryflow/core/internal/app/auth"
	"github.com/telemetryflow/core/oas"
)

func tokenResponse(g *auth.Grant) *oas.TokenResponse {
	return &oas.TokenResponse{
		AccessToken:  g.AccessToken,
		TokenType:    oas.TokenResponseTokenTypeBearer,
		ExpiresIn:    int(g.ExpiresIn.Seconds()),
		RefreshToken: g.RefreshToken,
		User:         accountUser(g.Account),
	}
}

func accountUser(a auth.Account) oas.User {
	u := oas.User{
		ID: a.ID, Email: a.Email, FirstName: a.FirstName, LastName: a.LastName,
		OrganizationID: a.OrganizationID, Status: oas.UserStatus(a.Status),
		CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt,
	}
	if a.LastLoginAt != nil {
		u.LastLoginAt = oas.NewOptDateTime(*a.LastLoginAt)
	}
	if a.LockedUntil != nil {
		u.LockedUntil = oas.NewOptDateTime(*a.LockedUntil)
	}
	if a.PasswordChangedAt != nil {
		u.PasswordChangedAt = oas.NewOptDateTime(*a.PasswordChangedAt)
	}
	return u
}
