package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"unicode"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/authz"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/platform/contract"
	"github.com/telemetryflow/core/internal/platform/principal"
	"github.com/telemetryflow/core/oas"
)

// Decider answers authorization checks.
type Decider interface {
	Decide(ctx context.Context, c authz.Check) (authz.Decision, error)
}

// CodePermissionDenied is the stable code of a 403 for a missing operation permission.
const CodePermissionDenied = "permission_denied"

// GateConfig wires a Gate; every field is required.
type GateConfig struct {
	// Operations are the contract's operations with their declared requirement.
	Operations []contract.Operation
	Decider    Decider
	Recorder   audit.Recorder
	Log        *slog.Logger
}

// Gate is the one place that decides whether the authenticated caller may call an operation,
// by the requirement the contract declares for it. The security handler asks it right after
// authentication, which ogen runs before any parameter or body decoding: a caller without the
// permission learns nothing about the operation's input rules. Whether a particular resource is
// inside the caller's scope is decided later, by the application layer.
type Gate struct {
	// rules maps ogen's operation name (the Go name the security handler receives) to the
	// contract operation.
	rules   map[oas.OperationName]contract.Operation
	decider Decider
	rec     audit.Recorder
	log     *slog.Logger
}

// NewGate maps every contract operation to ogen's operation name through the generated
// router, so the mapping cannot drift from the generated code.
func NewGate(cfg GateConfig) (*Gate, error) {
	if cfg.Decider == nil || cfg.Recorder == nil || cfg.Log == nil || len(cfg.Operations) == 0 {
		return nil, errors.New("httpapi: gate needs operations, a decider, a recorder and a logger")
	}
	rules, err := operationsByName(cfg.Operations)
	if err != nil {
		return nil, err
	}
	return &Gate{rules: rules, decider: cfg.Decider, rec: cfg.Recorder, log: cfg.Log}, nil
}

// operationsByName finds each operation's route in ogen's router (path parameters filled with a
// placeholder) and keys the operation by the route's generated name.
func operationsByName(ops []contract.Operation) (map[oas.OperationName]contract.Operation, error) {
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

// Admit decides whether the principal in ctx may call the operation ogen names. A denial is a
// 403 naming the missing permission, recorded as an AUTHZ DENIED audit event.
func (g *Gate) Admit(ctx context.Context, name oas.OperationName) error {
	op, ok := g.rules[name]
	if !ok {
		// Every generated operation is in the contract; if one is not, fail closed.
		return errs.New(errs.KindForbidden, "undeclared_operation", "This operation declares no access requirement.")
	}
	if op.Public || op.Authenticated {
		return nil
	}
	p := principal.From(ctx)
	if p == nil {
		return errs.New(errs.KindUnauthenticated, errs.CodeUnauthenticated, "A valid bearer access token is required.")
	}
	dec, err := g.decider.Decide(ctx, authz.Check{UserID: p.UserID, Permission: op.Permission})
	if err != nil {
		return errs.Internal(err)
	}
	if dec.Allowed {
		return nil
	}
	resource, _, _ := strings.Cut(op.Permission, ":")
	e := audit.New(ctx, audit.EventAuthz, ActionName(op.ID), resource, audit.ResultDenied)
	e.ErrorMessage = dec.Reason
	e.TargetOrganizationID = namedOrganization(ctx)
	e.WithMetadata(map[string]any{"permission": op.Permission, "operation": op.ID})
	if err := g.rec.Record(ctx, e); err != nil {
		g.log.ErrorContext(ctx, "audit event not recorded", "action", e.Action, "error", err)
	}
	return &errs.Error{Kind: errs.KindForbidden, Code: CodePermissionDenied,
		Message: "This operation requires the permission " + op.Permission + "."}
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
