// Package errs is the project's single error model: every failure a caller can see has a kind
// (which decides the HTTP status), a stable machine-readable code, a message safe to show, and,
// for validation, the offending fields. Exactly one place (the HTTP adapter) turns it into
// problem+json.
package errs

import (
	"errors"
	"fmt"
	"time"
)

// Kind classifies an error for transport mapping.
type Kind uint8

const (
	KindInternal         Kind = iota // a bug or an unexpected dependency failure; details are logged, not shown
	KindInvalid                      // malformed or invalid input (400)
	KindUnauthenticated              // missing or bad credentials (401)
	KindForbidden                    // authenticated but not allowed (403)
	KindNotFound                     // absent or outside the caller's scope (404)
	KindConflict                     // unique key taken, illegal state change (409)
	KindUnprocessable                // valid request the domain refuses where 409 does not fit (422)
	KindRateLimited                  // too many requests (429)
	KindUnavailable                  // a dependency is down or saturated (503)
	KindNotImplemented               // the operation is in the contract but not served yet (501)
	KindUnsupportedMedia             // the body is not JSON (415)
	KindTooLarge                     // the request body exceeds its cap (413)
)

func (k Kind) String() string {
	switch k {
	case KindInvalid:
		return "invalid"
	case KindUnauthenticated:
		return "unauthenticated"
	case KindForbidden:
		return "forbidden"
	case KindNotFound:
		return "not_found"
	case KindConflict:
		return "conflict"
	case KindUnprocessable:
		return "unprocessable"
	case KindRateLimited:
		return "rate_limited"
	case KindUnavailable:
		return "unavailable"
	case KindNotImplemented:
		return "not_implemented"
	case KindUnsupportedMedia:
		return "unsupported_media"
	case KindTooLarge:
		return "too_large"
	default:
		return "internal"
	}
}

// FieldError names one invalid input field and, where a rule has one, the rule's stable code
// (password_breached, ...).
type FieldError struct {
	Field   string
	Code    string
	Message string
}

// Error is the one error type callers see.
type Error struct {
	Kind    Kind
	Code    string // stable, snake_case, part of the API contract
	Message string // safe to show to the caller
	Fields  []FieldError
	// RetryAfter, when set, is sent as the Retry-After header.
	RetryAfter time.Duration
	// Cause is for logs only; it never reaches the caller.
	Cause error
}

func (e *Error) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Cause)
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Cause }

// New builds an error of a kind with a code and message.
func New(kind Kind, code, msg string) *Error { return &Error{Kind: kind, Code: code, Message: msg} }

// Wrap builds an error that keeps cause for logs.
func Wrap(kind Kind, code, msg string, cause error) *Error {
	return &Error{Kind: kind, Code: code, Message: msg, Cause: cause}
}

// Invalid is a validation failure listing fields.
func Invalid(fields ...FieldError) *Error {
	msg := "The request has an invalid field."
	if len(fields) > 1 {
		msg = fmt.Sprintf("The request has %d invalid fields.", len(fields))
	}
	return &Error{Kind: KindInvalid, Code: CodeValidation, Message: msg, Fields: fields}
}

// NotFound says a resource of the named type does not exist or is outside the caller's scope.
func NotFound(resource string) *Error {
	return &Error{Kind: KindNotFound, Code: resource + "_not_found", Message: "The " + resource + " does not exist."}
}

// Conflict says a unique field already holds the value.
func Conflict(field, msg string) *Error {
	return &Error{Kind: KindConflict, Code: CodeAlreadyExists, Message: msg,
		Fields: []FieldError{{Field: field, Message: "already in use"}}}
}

// Internal hides a cause behind a generic message.
func Internal(cause error) *Error {
	return &Error{Kind: KindInternal, Code: CodeInternal, Message: "An internal error occurred.", Cause: cause}
}

// Codes shared across packages; packages define their own specific ones next to the rule.
const (
	CodeValidation       = "validation_failed"
	CodeMalformed        = "malformed_request"
	CodeAlreadyExists    = "already_exists"
	CodeInternal         = "internal_error"
	CodeUnauthenticated  = "unauthenticated"
	CodeForbidden        = "forbidden"
	CodeRouteNotFound    = "route_not_found"
	CodeMethodNotAllowed = "method_not_allowed"
	CodeNotImplemented   = "not_implemented"
	CodeUnavailable      = "service_unavailable"
	CodeRateLimited      = "rate_limited"
)

// As extracts an *Error; anything else becomes an internal error.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return Internal(err)
}

// IsKind reports whether err is an *Error of kind k.
func IsKind(err error, k Kind) bool {
	if err == nil {
		return false // errors.As would still move its target to the heap: every caller's success path
	}
	var e *Error
	return errors.As(err, &e) && e.Kind == k
}
