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

// DenyUntilEnrolled refuses an operation to a caller who must enrol a second factor first
// (principal.MFAEnrollmentRequired; the gate decides which operations stay open): recorded as
// an AUTHZ DENIED row with the reason mfa_enrollment_required, answered 403.
func (s *Service) DenyUntilEnrolled(ctx context.Context, operationID, permission, targetOrganization string) error {
	s.audit.Record(ctx, audit.NewAuthzDenied(ctx, operationID, permission, CodeMFAEnrollmentRequired, targetOrganization))
	return errs.New(errs.KindForbidden, CodeMFAEnrollmentRequired,
		"A second factor is required for this account: enrol one (POST /api/v2/auth/mfa/totp, then confirm) to continue.")
}
