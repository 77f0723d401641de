package authz

import (
	"context"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/platform/principal"
)

// CodePermissionDenied is the stable code of a 403 for a missing operation permission.
const CodePermissionDenied = "permission_denied"

// Operation is an API operation as the gate asks about it.
type Operation struct {
	// ID is the contract's operation id (createUser); its audit action is audit.ActionName(ID).
	ID string
	// Permission is what the contract requires of every caller.
	Permission string
	// TargetOrganization is the organization the request names in its path ("" for none): a
	// denial is decided before anything is decoded or read, so nothing else is known.
	TargetOrganization string
}

// Admit decides whether the caller in ctx may call op, by the permission the contract
// declares for it (the resource's scope is decided later, by the use case). A refusal is
// recorded as an AUTHZ DENIED row and returned as a 403 naming the missing permission.
func (s *Service) Admit(ctx context.Context, op Operation) error {
	p := principal.From(ctx)
	if p == nil {
		return errs.New(errs.KindUnauthenticated, errs.CodeUnauthenticated, "A valid bearer access token is required.")
	}
	if !p.Restriction.Allows(op.Permission) {
		s.audit.Record(ctx, audit.NewAuthzDenied(ctx, op.ID, op.Permission, DenyOutsideCredential, op.TargetOrganization))
		return &errs.Error{Kind: errs.KindForbidden, Code: CodePermissionDenied,
			Message: "This credential is not allowed the permission " + op.Permission + "."}
	}
	dec, err := s.decider.Decide(ctx, Check{UserID: p.UserID, Permission: op.Permission})
	if err != nil {
		return errs.Internal(err)
	}
	if dec.Allowed {
		return nil
	}
	s.audit.Record(ctx, audit.NewAuthzDenied(ctx, op.ID, op.Permission, dec.Reason, op.TargetOrganization))
	return &errs.Error{Kind: errs.KindForbidden, Code: CodePermissionDenied,
		Message: "This operation requires the permission " + op.Permission + "."}
}

// CodeMFAEnrollmentRequired is the stable code of a 403 for a caller the MFA policy holds to
// enrolment (docs/mfa-and-sessions.md).
const CodeMFAEnrollmentRequired = "mfa_enrollment_required"

// CodePasswordSessionRequired is the stable code of a 403 for an operation that changes how
// an account authenticates, called with an API key or a client's token.
const CodePasswordSessionRequired = "password_session_required"

// DenyUntilEnrolled refuses an operation to a caller who must enrol a second factor first
// (principal.MFAEnrollmentRequired; the gate decides which operations stay open): recorded as
// an AUTHZ DENIED row with the reason mfa_enrollment_required, answered 403.
func (s *Service) DenyUntilEnrolled(ctx context.Context, operationID, permission, targetOrganization string) error {
	return s.refuse(ctx, Operation{ID: operationID, Permission: permission, TargetOrganization: targetOrganization},
		errs.New(errs.KindForbidden, CodeMFAEnrollmentRequired,
			"A second factor is required for this account: enrol one (POST /api/v2/auth/mfa/totp, then confirm) to continue."))
}

// DenyWithoutPasswordSession refuses an operation that changes how the account itself
// authenticates (its password, its second factor, its sessions) to a credential that is not
// a session the user opened by logging in: a leaked API key or client token must not enrol
// its own second factor and lock the owner out. Recorded as an AUTHZ DENIED row, answered 403.
func (s *Service) DenyWithoutPasswordSession(ctx context.Context, operationID, permission, targetOrganization string) error {
	return s.refuse(ctx, Operation{ID: operationID, Permission: permission, TargetOrganization: targetOrganization},
		errs.New(errs.KindForbidden, CodePasswordSessionRequired,
			"This operation needs a session opened by logging in; API keys and client tokens cannot call it."))
}

// refuse records op's refusal with e's code as the reason and returns e.
func (s *Service) refuse(ctx context.Context, op Operation, e *errs.Error) error {
	s.audit.Record(ctx, audit.NewAuthzDenied(ctx, op.ID, op.Permission, e.Code, op.TargetOrganization))
	return e
}
