package httpapi

import (
	"context"
	"log/slog"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/authz"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/platform/principal"
	"github.com/telemetryflow/core/oas"
)

// AuthzAPI serves authorization decisions for other services.
type AuthzAPI struct {
	decider *authz.Decider
	reads   audit.ReadLog
	log     *slog.Logger
}

// NewAuthzAPI builds the decision API; reads records each answered batch (TF_AUDIT_READS).
func NewAuthzAPI(d *authz.Decider, reads audit.ReadLog, log *slog.Logger) *AuthzAPI {
	return &AuthzAPI{decider: d, reads: reads, log: log}
}

// Reasons of the decision API beyond the decider's own.
const (
	reasonNotPermitted = "not_permitted"
)

// CheckAuthorization answers a batch of checks in order. Checks about other users need
// user:read over them; users outside the caller's scope are reported as not found.
func (h *AuthzAPI) CheckAuthorization(ctx context.Context, req *oas.AuthzCheckRequest) (*oas.AuthzCheckResponse, error) {
	caller := principal.From(ctx)
	if caller == nil {
		return nil, errs.New(errs.KindUnauthenticated, errs.CodeUnauthenticated, "A valid bearer access token is required.")
	}
	out := &oas.AuthzCheckResponse{Results: make([]oas.AuthzResult, 0, len(req.Checks))}
	var read subjectsRead
	for _, c := range req.Checks {
		res, err := h.check(ctx, caller, c, &read)
		if err != nil {
			h.audit(ctx, caller, req, read, err)
			return nil, err
		}
		out.Results = append(out.Results, res)
	}
	h.audit(ctx, caller, req, read, nil)
	return out, nil
}

func (h *AuthzAPI) check(ctx context.Context, caller *principal.Principal, c oas.AuthzCheck, read *subjectsRead) (oas.AuthzResult, error) {
	subject := caller.UserID
	if id, ok := c.UserID.Get(); ok && id != caller.UserID {
		target, err := h.decider.Profile(ctx, id)
		if err != nil {
			return oas.AuthzResult{}, errs.Internal(err)
		}
		if !target.Subject.Exists {
			return oas.AuthzResult{Reason: authz.DenyUserNotFound}, nil
		}
		may, err := h.decider.Decide(ctx, authz.Check{UserID: caller.UserID, Permission: "user:read", OrganizationID: target.Subject.OrganizationID})
		if err != nil {
			return oas.AuthzResult{}, errs.Internal(err)
		}
		if !may.Allowed {
			if may.Reason == authz.DenyOutOfScope {
				return oas.AuthzResult{Reason: authz.DenyUserNotFound}, nil
			}
			return oas.AuthzResult{Reason: reasonNotPermitted}, nil
		}
		read.add(target.Subject.OrganizationID)
		subject = id
	}
	d, err := h.decider.Decide(ctx, authz.Check{UserID: subject, Permission: c.Permission,
		OrganizationID: c.OrganizationID.Or(uuid.Nil), WorkspaceID: c.WorkspaceID.Or(uuid.Nil)})
	if err != nil {
		return oas.AuthzResult{}, errs.Internal(err)
	}
	res := oas.AuthzResult{Allowed: d.Allowed, Reason: d.Reason}
	if d.Grant != nil {
		res.Source = oas.NewOptGrantSource(grantSourceOut(*d.Grant))
	}
	return res, nil
}
