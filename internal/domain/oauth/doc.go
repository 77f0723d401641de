// Package oauth holds the pure rules of machine identities and the OAuth2 protocol: client
// secrets (format, keyed hash), the scope a token is narrowed to, which credentials are still
// usable, and the RFC 6749 §5.2 error codes. No I/O, no HTTP.
package oauth
