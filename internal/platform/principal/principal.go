// Package principal carries the authenticated caller through a request's context.
package principal

import (
	"context"

	"github.com/google/uuid"
)

// Principal is who is calling, as established by a verified access token.
type Principal struct {
	UserID         uuid.UUID
	SessionID      uuid.UUID
	TenantID       uuid.UUID
	OrganizationID uuid.UUID
	Email          string
	FirstName      string
	LastName       string
	// AMR is how the session authenticated (RFC 8176: "pwd", "otp", "mfa").
	AMR []string
	// MFAEnrollmentRequired: policy requires a second factor this user has not confirmed yet;
	// the caller reaches only enrolment, its own profile and logout (docs/mfa-and-sessions.md).
	MFAEnrollmentRequired bool
	// Restriction narrows this credential below the user's permissions (zero: not narrowed).
	Restriction Restriction
}

type ctxKey struct{}

// With returns ctx carrying p.
func With(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// From returns the caller, or nil for an anonymous request.
func From(ctx context.Context) *Principal {
	p, _ := ctx.Value(ctxKey{}).(*Principal)
	return p
}
