package httpapi

import (
	"context"
	"strings"

	"github.com/ogen-go/ogen/middleware"

	"github.com/telemetryflow/core/internal/app/auth"
	"github.com/telemetryflow/core/oas"
)

// The OAuth2 endpoints are public in the contract (security: []): the client authenticates
// itself by the protocol's own means, and one of them is the Authorization header
// (client_secret_basic; a bearer for introspection). ogen hands an operation only what the
// contract declares, so this middleware carries that header to the handler.

type authorizationKey struct{}

// OAuth2Credentials passes the Authorization header of the OAuth2 operations to their
// handlers (nothing else sees it).
func OAuth2Credentials(req middleware.Request, next middleware.Next) (middleware.Response, error) {
	switch req.OperationName {
	case oas.Oauth2TokenOperation, oas.Oauth2IntrospectOperation, oas.Oauth2RevokeOperation:
		if h := req.Raw.Header.Get("Authorization"); h != "" {
			req.Context = context.WithValue(req.Context, authorizationKey{}, h)
		}
	}
	return next(req)
}

// presented is what the request presents to authenticate: the client (Basic header, form
// fields, assertion) and a bearer token.
func presented(ctx context.Context, formID, formSecret, assertionType, assertion string) (auth.ClientAuth, string) {
	c := auth.ClientAuth{FormID: formID, FormSecret: formSecret, AssertionType: assertionType, Assertion: assertion}
	h, _ := ctx.Value(authorizationKey{}).(string)
	scheme, value, _ := strings.Cut(h, " ")
	var bearer string
	switch {
	case strings.EqualFold(scheme, "Basic"):
		c.Basic = true
		c.BasicID, c.BasicSecret, _ = parseBasic(value)
	case strings.EqualFold(scheme, "Bearer"):
		bearer = strings.TrimSpace(value)
	}
	return c, bearer
}
