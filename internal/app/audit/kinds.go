package audit

import (
	"context"
	"strings"
	"unicode"
)

// The constructors below are the one place each kind of event is filled in; see the package
// documentation for how to record what they build.

// NewAuth is an AUTH row: a step of authentication (login, refresh, logout, password change,
// a rejected token), SUCCESS or FAILURE. A failure's reason is a stable code (bad_password,
// account_locked, ...), never a secret, set as ErrorMessage by the caller, who also names the
// user where it resolved one before there is a principal (login, refresh).
func NewAuth(ctx context.Context, action, resource string, result Result) Event {
	return New(ctx, EventAuth, action, resource, result)
}

// NewAuthzDenied is the AUTHZ row of an operation refused for a missing permission: DENIED,
// the action named after the operation (ActionName), the resource its permission is about,
// the decider's reason as the error message, the permission and operation in the metadata,
// and the organization the request named, where it named one ("" for none).
func NewAuthzDenied(ctx context.Context, operationID, permission, reason, targetOrganization string) Event {
	resource, _, _ := strings.Cut(permission, ":")
	e := New(ctx, EventAuthz, ActionName(operationID), resource, ResultDenied)
	e.ErrorMessage = reason
	e.TargetOrganizationID = targetOrganization
	e.WithMetadata(map[string]any{"permission": permission, "operation": operationID})
	return e
}

// NewData is the DATA row of a use case (a command or a read) that ended with err: the result
// and the safe error message are Outcome(err). The caller adds the metadata (what was asked)
// and the target organization.
func NewData(ctx context.Context, action, resource string, err error) Event {
	result, message := Outcome(err)
	e := New(ctx, EventData, action, resource, result)
	e.ErrorMessage = message
	return e
}

// NewSystem is a SYSTEM row: something the service itself did (start, stop, key rotation),
// SUCCESS, with metadata (nil for none; never secrets).
func NewSystem(ctx context.Context, action, resource string, metadata map[string]any) Event {
	e := New(ctx, EventSystem, action, resource, ResultSuccess)
	if metadata != nil {
		e.WithMetadata(metadata)
	}
	return e
}

// ActionName is the audit action of a use case or an operation: its Go type name or contract
// operation id in snake_case (CreateUser, createUser → create_user). DATA rows (the decorators)
// and AUTHZ rows (the operation gate) name the same action the same way.
func ActionName(name string) string {
	var b strings.Builder
	for i, r := range name {
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
