package httpapi

import (
	"context"
	"errors"

	"github.com/telemetryflow/core/internal/platform/principal"
	"github.com/telemetryflow/core/oas"
)

// TokenVerifier authenticates a bearer token and returns who it belongs to.
type TokenVerifier interface {
	Verify(ctx context.Context, token string) (*principal.Principal, error)
}

// SecurityConfig wires the security handler.
type SecurityConfig struct {
	Verifier TokenVerifier
	// Gate decides, right after authentication, whether the caller may call the operation.
	Gate *Gate
	// Authenticated, when set, is told of every authenticated caller (the access log and the
	// server span name it, also when the request is then denied).
	Authenticated func(ctx context.Context, p *principal.Principal)
}

// Security implements oas.SecurityHandler. ogen calls it before decoding any parameter or
// body, so both authentication and the operation's permission are settled before the input
// is looked at.
type Security struct {
	cfg SecurityConfig
}

var _ oas.SecurityHandler = (*Security)(nil)

// NewSecurity builds the security handler.
func NewSecurity(cfg SecurityConfig) (*Security, error) {
	if cfg.Verifier == nil || cfg.Gate == nil {
		return nil, errors.New("httpapi: security needs a token verifier and a gate")
	}
	return &Security{cfg: cfg}, nil
}

// HandleBearerAuth verifies the token, puts the principal into the context and asks the gate.
func (s *Security) HandleBearerAuth(ctx context.Context, op oas.OperationName, t oas.BearerAuth) (context.Context, error) {
	p, err := s.cfg.Verifier.Verify(ctx, t.Token)
	if err != nil {
		return ctx, err
	}
	ctx = principal.With(ctx, p)
	if s.cfg.Authenticated != nil {
		s.cfg.Authenticated(ctx, p)
	}
	if err := s.cfg.Gate.Admit(ctx, op); err != nil {
		return ctx, err
	}
	return ctx, nil
}
