package httpapi

import (
	"context"
	"log/slog"
	"strings"
	"unicode"

	"github.com/ogen-go/ogen/middleware"

	"github.com/telemetryflow/core/internal/audit"
	"github.com/telemetryflow/core/internal/authz"
	"github.com/telemetryflow/core/internal/contract"
	"github.com/telemetryflow/core/internal/errs"
	"github.com/telemetryflow/core/internal/principal"
)

// Decider answers authorization checks.
type Decider interface {
	Decide(ctx context.Context, c authz.Check) (authz.Decision, error)
}

// Authorize enforces each operation's declared requirement (read from the contract at start)
// before the handler runs. It runs after authentication and parameter decoding. A denial is a
// 403 naming the missing permission and an AUTHZ DENIED audit event. Whether a particular
// resource is inside the caller's scope is decided later, by the application layer.
func Authorize(reqs map[string]contract.Requirement, d Decider, rec audit.Recorder, log *slog.Logger) middleware.Middleware {
	return func(req middleware.Request, next middleware.Next) (middleware.Response, error) {
		r, ok := reqs[req.OperationID]
		if !ok {
			// The contract test makes this unreachable; if it happens, fail closed.
			return middleware.Response{}, errs.New(errs.KindForbidden, "undeclared_operation", "This operation declares no access requirement.")
		}
		if r.Public {
			return next(req)
		}
		p := principal.From(req.Context)
		if p == nil {
			return middleware.Response{}, errs.New(errs.KindUnauthenticated, errs.CodeUnauthenticated, "A valid bearer access token is required.")
		}
		if r.Authenticated {
			return next(req)
		}
		dec, err := d.Decide(req.Context, authz.Check{UserID: p.UserID, Permission: r.Permission})
		if err != nil {
			return middleware.Response{}, errs.Internal(err)
		}
		if !dec.Allowed {
			resource, _, _ := strings.Cut(r.Permission, ":")
			e := audit.New(req.Context, audit.EventAuthz, ActionName(req.OperationID), resource, audit.ResultDenied)
			e.ErrorMessage = dec.Reason
			e.TargetOrganizationID = namedOrganization(req, resource)
			e.WithMetadata(map[string]any{"permission": r.Permission, "operation": req.OperationID})
			if err := rec.Record(req.Context, e); err != nil {
				log.ErrorContext(req.Context, "audit event not recorded", "action", e.Action, "error", err)
			}
			return middleware.Response{}, &errs.Error{Kind: errs.KindForbidden, Code: "permission_denied",
				Message: "This operation requires the permission " + r.Permission + "."}
		}
		return next(req)
	}
}

// ActionName turns an operation id (createUser) into an audit action (create_user).
func ActionName(operationID string) string {
	var b strings.Builder
	for i, r := range operationID {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
