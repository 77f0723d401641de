package httpapi

import (
	"context"

	"github.com/telemetryflow/core/internal/app/auth"
	"github.com/telemetryflow/core/internal/crypto/keyring"
	"github.com/telemetryflow/core/oas"
)

// AuthAPI serves the auth tag: login, refresh, logout, me, password, JWKS.
type AuthAPI struct {
	auth *auth.Service
	keys *keyring.Manager
}

// NewAuthAPI builds the auth handlers.
func NewAuthAPI(a *auth.Service, k *keyring.Manager) *AuthAPI { return &AuthAPI{auth: a, keys: k} }

func (h *AuthAPI) Login(ctx context.Context, req *oas.LoginRequest) (*oas.TokenResponse, error) {
	g, err := h.auth.Login(ctx, req.Email, req.Password)
	if err != nil {
		return nil, err
	}
	return tokenResponse(g), nil
}

func (h *AuthAPI) RefreshToken(ctx context.Context, req *oas.RefreshRequest) (*oas.TokenResponse, error) {
	g, err := h.auth.Refresh(ctx, req.RefreshToken)
	if err != nil {
		return nil, err
	}
	return tokenResponse(g), nil
}

func (h *AuthAPI) Logout(ctx context.Context) error { return h.auth.Logout(ctx) }

func (h *AuthAPI) ChangeOwnPassword(ctx context.Context, req *oas.ChangePasswordRequest) error {
	return h.auth.ChangePassword(ctx, req.CurrentPassword, req.NewPassword)
}

func (h *AuthAPI) GetJWKS(context.Context) (*oas.JWKS, error) {
	set := h.keys.Ring().JWKS()
	out := &oas.JWKS{Keys: make([]oas.JWK, 0, len(set))}
	for _, k := range set {
		out.Keys = append(out.Keys, oas.JWK{Kty: k.Kty, Crv: k.Crv, X: k.X, Kid: k.Kid, Alg: k.Alg, Use: k.Use})
	}
	return out, nil
}
