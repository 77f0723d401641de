package httpapi

import (
	"context"

	"github.com/telemetryflow/core/internal/principal"
	"github.com/telemetryflow/core/oas"
)

// TokenVerifier authenticates a bearer token and returns who it belongs to.
type TokenVerifier interface {
	Verify(ctx context.Context, token string) (*principal.Principal, error)
}

// Security implements oas.SecurityHandler. It only authenticates; authorization is declared
// per operation in the contract and enforced elsewhere.
type Security struct {
	verifier TokenVerifier
}

var _ oas.SecurityHandler = (*Security)(nil)

// NewSecurity builds the security handler.
func NewSecurity(v TokenVerifier) *Security { return &Security{verifier: v} }

// HandleBearerAuth verifies the token and puts the principal into the context.
func (s *Security) HandleBearerAuth(ctx context.Context, _ oas.OperationName, t oas.BearerAuth) (context.Context, error) {
	p, err := s.verifier.Verify(ctx, t.Token)
	if err != nil {
		return ctx, err
	}
	return principal.With(ctx, p), nil
}
