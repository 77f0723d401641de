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
		User:         userOut(g.User),
	}
}
