// Package httpapi is the HTTP adapter: it implements the ogen-generated server interfaces,
// maps requests to application commands and queries, and is the one place that turns errors
// into problem+json.
package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/ogen-go/ogen/ogenerrors"

	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/oas"
)

// Handler implements oas.Handler by composition: each area of the API is its own type with its
// own dependencies and files, so areas grow independently. There is no fallback: an operation
// added to the contract does not compile until an area serves it.
type Handler struct {
	*AuthAPI
	*IAMAPI
	*AuditAPI
	*AuthzAPI
	*OAuth2API
	log        *slog.Logger
	rejections Rejections
}

// Rejections records requests refused at authentication (the AUTH audit trail of rejected and
// missing tokens).
type Rejections interface {
	RecordRejected(ctx context.Context, err error)
}

var _ oas.Handler = (*Handler)(nil)

// Areas are the parts the handler is composed of; none may be nil.
type Areas struct {
	Auth  *AuthAPI
	IAM   *IAMAPI
	Audit *AuditAPI
	Authz *AuthzAPI
	// OAuth2 serves the oauth2 tag.
	OAuth2 *OAuth2API
	// Rejections may be nil (nothing recorded).
	Rejections Rejections
}

// NewHandler builds the handler.
func NewHandler(log *slog.Logger, a Areas) *Handler {
	return &Handler{AuthAPI: a.Auth, IAMAPI: a.IAM, AuditAPI: a.Audit, AuthzAPI: a.Authz, OAuth2API: a.OAuth2, log: log, rejections: a.Rejections}
}

// NewError is ogen's hook for every error a handler (or the security handler) returns.
func (h *Handler) NewError(ctx context.Context, err error) *oas.ProblemStatusCodeWithHeaders {
	var security *ogenerrors.SecurityError
	if h.rejections != nil && errors.As(err, &security) && isAuthenticationFailure(security.Err) {
		h.rejections.RecordRejected(ctx, security.Err)
	}
	return problemOf(ctx, h.log, err)
}

// isAuthenticationFailure tells a refused credential (recorded as token_rejected) from the
// other errors the security handler returns: a permission denial, which the gate has already
// audited as AUTHZ DENIED, or an internal failure.
func isAuthenticationFailure(err error) bool {
	var e *errs.Error
	return !errors.As(err, &e) || e.Kind == errs.KindUnauthenticated
}

// ErrorHandler receives ogen's own failures: undecodable parameters or bodies, ogen's 501s and
// response encoding errors.
func ErrorHandler(log *slog.Logger) func(ctx context.Context, w http.ResponseWriter, r *http.Request, err error) {
	return func(ctx context.Context, w http.ResponseWriter, r *http.Request, err error) {
		writeProblem(w, problemOf(ctx, log, err))
	}
}

// NotFound answers unknown routes.
func NotFound(log *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, problemOf(r.Context(), log,
			errs.New(errs.KindNotFound, errs.CodeRouteNotFound, "No route matches "+r.Method+" "+r.URL.Path+".")))
	}
}

// MethodNotAllowed answers a known route called with the wrong method.
func MethodNotAllowed(log *slog.Logger) func(w http.ResponseWriter, r *http.Request, allowed string) {
	return func(w http.ResponseWriter, r *http.Request, allowed string) {
		w.Header().Set("Allow", allowed)
		p := problemOf(r.Context(), log, errs.New(errs.KindInvalid, errs.CodeMethodNotAllowed,
			"Method "+r.Method+" is not allowed here; use "+allowed+"."))
		p.StatusCode = http.StatusMethodNotAllowed
		p.Response.Status = http.StatusMethodNotAllowed
		p.Response.Title = http.StatusText(http.StatusMethodNotAllowed)
		writeProblem(w, p)
	}
}

// PlainProblem writes problem+json for routes outside the contract (health, docs), with the
// same shape and type URIs as the API's errors.
func PlainProblem(log *slog.Logger) func(w http.ResponseWriter, r *http.Request, status int, code, detail string) {
	return func(w http.ResponseWriter, r *http.Request, status int, code, detail string) {
		p := problemOf(r.Context(), log, errs.New(errs.KindInternal, code, detail))
		p.StatusCode, p.Response.Status, p.Response.Title = status, status, http.StatusText(status)
		writeProblem(w, p)
	}
}
