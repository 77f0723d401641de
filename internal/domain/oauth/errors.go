package oauth

import (
	"time"

	"github.com/telemetryflow/core/internal/domain/errs"
)

// The RFC 6749 §5.2 error codes. Each is an errs.Error whose Code is the protocol's code, so
// the HTTP adapter answers {error, error_description} with it (httpapi/oauth2_errors.go).
const (
	CodeInvalidRequest       = "invalid_request"
	CodeInvalidClient        = "invalid_client"
	CodeInvalidGrant         = "invalid_grant"
	CodeUnauthorizedClient   = "unauthorized_client"
	CodeUnsupportedGrantType = "unsupported_grant_type"
	CodeInvalidScope         = "invalid_scope"
)

// Protocol reports whether code is one of the RFC 6749 §5.2 codes.
func Protocol(code string) bool {
	switch code {
	case CodeInvalidRequest, CodeInvalidClient, CodeInvalidGrant, CodeUnauthorizedClient,
		CodeUnsupportedGrantType, CodeInvalidScope:
		return true
	}
	return false
}

// InvalidRequest: a parameter is missing, repeated or malformed.
func InvalidRequest(msg string) error {
	return errs.New(errs.KindInvalid, CodeInvalidRequest, msg)
}

// InvalidClient is every client authentication failure, whatever the cause (unknown client,
// wrong secret, bad assertion, locked, inactive): the caller learns nothing about which.
// retry is the lock's remaining time when one is in force (0 otherwise).
func InvalidClient(retry time.Duration) error {
	return &errs.Error{Kind: errs.KindUnauthenticated, Code: CodeInvalidClient,
		Message: "Client authentication failed.", RetryAfter: retry}
}

// InvalidGrant: the refresh token is invalid, expired, revoked or already used.
func InvalidGrant() error {
	return errs.New(errs.KindInvalid, CodeInvalidGrant, "The refresh token is invalid, expired or already used.")
}

// UnsupportedGrantType: a grant type this server does not implement.
func UnsupportedGrantType() error {
	return errs.New(errs.KindInvalid, CodeUnsupportedGrantType,
		"Supported grant types: client_credentials, refresh_token.")
}

// InvalidScope: the scope is malformed or names a permission the client does not hold.
func InvalidScope() error {
	return errs.New(errs.KindInvalid, CodeInvalidScope,
		"The scope is malformed or names a permission the client does not hold.")
}

// InvalidExpiry: a credential's expires_at must lie in the future.
func InvalidExpiry() error {
	return errs.Invalid(errs.FieldError{Field: "expires_at", Code: "invalid", Message: "must be in the future"})
}
