package httpapi

import (
	"context"

	"github.com/telemetryflow/core/oas"
)

// The second factor and the caller's sessions (docs/mfa-and-sessions.md).

func (h *AuthAPI) VerifyMfa(ctx context.Context, req *oas.MfaVerifyRequest) (*oas.TokenResponse, error) {
	g, err := h.auth.VerifyMFA(ctx, req.MfaToken, req.Code)
	if err != nil {
		return nil, err
	}
	return tokenResponse(g), nil
}

func (h *AuthAPI) EnrolTotp(ctx context.Context) (*oas.TotpEnrolment, error) {
	e, err := h.auth.EnrolTOTP(ctx)
	if err != nil {
		return nil, err
	}
	return &oas.TotpEnrolment{Secret: e.Secret, OtpauthURL: e.URL, QrPNG: e.QRPNGDataURI}, nil
}

func (h *AuthAPI) ConfirmTotp(ctx context.Context, req *oas.MfaCodeRequest) (*oas.RecoveryCodes, error) {
	codes, err := h.auth.ConfirmTOTP(ctx, req.Code)
	if err != nil {
		return nil, err
	}
	return &oas.RecoveryCodes{RecoveryCodes: codes}, nil
}

func (h *AuthAPI) RegenerateRecoveryCodes(ctx context.Context, req *oas.MfaCodeRequest) (*oas.RecoveryCodes, error) {
	codes, err := h.auth.RegenerateRecoveryCodes(ctx, req.Code)
	if err != nil {
		return nil, err
	}
	return &oas.RecoveryCodes{RecoveryCodes: codes}, nil
}

func (h *AuthAPI) DisableTotp(ctx context.Context, req *oas.MfaProofRequest) error {
	return h.auth.DisableTOTP(ctx, req.Code.Or(""), req.Password.Or(""))
}

func (h *AuthAPI) ListOwnSessions(ctx context.Context) (*oas.SessionList, error) {
	list, current, err := h.auth.ListSessions(ctx)
	if err != nil {
		return nil, err
	}
	return sessionList(list, current), nil
}

func (h *AuthAPI) RevokeOwnSession(ctx context.Context, p oas.RevokeOwnSessionParams) error {
	return h.auth.RevokeSession(ctx, p.ID)
}
