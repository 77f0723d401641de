package httpapi

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/telemetryflow/core/internal/app/authz"
	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/platform/contract"
	"github.com/telemetryflow/core/internal/platform/principal"
	"github.com/telemetryflow/core/oas"
)

// Admitter decides whether the caller may call an operation and records a refusal
// (authz.Service.Admit).
type Admitter interface {
	Admit(ctx context.Context, op authz.Operation) error
}

// GateConfig wires a Gate; every field is required.
type GateConfig struct {
	// Operations are the contract's operations with their declared requirement.
	Operations []contract.Operation
	Admitter   Admitter
}

// Validate reports a missing field.
func (c GateConfig) Validate() error {
	if c.Admitter == nil || len(c.Operations) == 0 {
		return errors.New("httpapi: gate needs operations and an admitter")
	}
	return nil
}

// Gate is the one place that asks whether the authenticated caller may call an operation, by
// the requirement the contract declares for it. The security handler asks it right after
// authentication, which ogen runs before any parameter or body decoding: a caller without the
// permission learns nothing about the operation's input rules. Whether a particular resource is
// inside the caller's scope is decided later, by the application layer.
type Gate struct {
	// rules maps ogen's operation name (the Go name the security handler receives) to the
	// contract operation.
	rules    map[oas.OperationName]contract.Operation
	admitter Admitter
}

// NewGate maps every contract operation to ogen's operation name through the generated
// router, so the mapping cannot drift from the generated code.
func NewGate(cfg GateConfig) (*Gate, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	rules, err := operationsByName(cfg.Operations)
	if err != nil {
		return nil, err
	}
	return &Gate{rules: rules, admitter: cfg.Admitter}, nil
}

// operationsByName finds each operation's route in ogen's router (path parameters filled with a
// placeholder) and keys the operation by the route's generated name.
func operationsByName(ops []contract.Operation) (map[oas.OperationName]contract.Operation, error) {
	// The server is built only for its router (FindRoute); it never serves, so no handler.
	router, err := oas.NewServer(oas.UnimplementedHandler{}, nil)
	if err != nil {
		return nil, err
	}
	out := make(map[oas.OperationName]contract.Operation, len(ops))
	for _, op := range ops {
		path := op.Path
		for strings.Contains(path, "{") {
			i, j := strings.Index(path, "{"), strings.Index(path, "}")
			if j < i {
				return nil, fmt.Errorf("httpapi: malformed path template %s", op.Path)
			}
			path = path[:i] + "0" + path[j+1:]
		}
		route, ok := router.FindRoute(strings.ToUpper(op.Method), path)
		if !ok || route.OperationID() != op.ID {
			return nil, fmt.Errorf("httpapi: contract operation %s (%s %s) has no generated route", op.ID, op.Method, op.Path)
		}
		out[route.Name()] = op
	}
	return out, nil
}

// enrolmentOperations are all a caller who must enrol a second factor first may call
// (docs/mfa-and-sessions.md): enrolment itself, their own profile and logout.
var enrolmentOperations = map[oas.OperationName]bool{
	oas.EnrolTotpOperation: true, oas.ConfirmTotpOperation: true, oas.GetMeOperation: true, oas.LogoutOperation: true,
}

// passwordSessionOperations change how the account itself authenticates or end its sessions:
// only a session its user opened by logging in may call them (authn.AMRPassword in amr), never
// an API key or a client_credentials token, however broad.
var passwordSessionOperations = map[oas.OperationName]bool{
	oas.ChangeOwnPasswordOperation: true, oas.EnrolTotpOperation: true, oas.ConfirmTotpOperation: true,
	oas.DisableTotpOperation: true, oas.RegenerateRecoveryCodesOperation: true,
	oas.ListOwnSessionsOperation: true, oas.RevokeOwnSessionOperation: true,
}

// Denier records and answers the gate's own refusals (authz.Service); an Admitter without it
// refuses unrecorded.
type Denier interface {
	DenyUntilEnrolled(ctx context.Context, operationID, permission, targetOrganization string) error
	DenyWithoutPasswordSession(ctx context.Context, operationID, permission, targetOrganization string) error
}

var (
	errMFAEnrollmentRequired = errs.New(errs.KindForbidden, authz.CodeMFAEnrollmentRequired,
		"A second factor is required for this account: enrol one (POST /api/v2/auth/mfa/totp, then confirm) to continue.")
	errPasswordSessionRequired = errs.New(errs.KindForbidden, authz.CodePasswordSessionRequired,
		"This operation needs a session opened by logging in; API keys and client tokens cannot call it.")
)

// Admit lets public and authenticated-only operations through and asks the admitter about
// the rest: a denial is a 403 naming the missing permission, recorded as an AUTHZ DENIED row.
func (g *Gate) Admit(ctx context.Context, name oas.OperationName) error {
	op, ok := g.rules[name]
	if !ok {
		// Every generated operation is in the contract; if one is not, fail closed.
		return errs.New(errs.KindForbidden, "undeclared_operation", "This operation declares no access requirement.")
	}
	if p := principal.From(ctx); p != nil {
		d, recorded := g.admitter.(Denier)
		switch {
		case p.MFAEnrollmentRequired && !enrolmentOperations[name]:
			if recorded {
				return d.DenyUntilEnrolled(ctx, op.ID, op.Permission, namedOrganization(ctx))
			}
			return errMFAEnrollmentRequired
		case passwordSessionOperations[name] && !slices.Contains(p.AMR, authn.AMRPassword):
			if recorded {
				return d.DenyWithoutPasswordSession(ctx, op.ID, op.Permission, namedOrganization(ctx))
			}
			return errPasswordSessionRequired
		}
	}
	if op.Public || op.Authenticated {
		return nil
	}
	return g.admitter.Admit(ctx, authz.Operation{ID: op.ID, Permission: op.Permission, TargetOrganization: namedOrganization(ctx)})
}
