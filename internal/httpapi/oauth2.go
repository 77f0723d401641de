package httpapi

import (
	"context"
	"errors"
	"strings"

	"github.com/telemetryflow/core/internal/app/auth"
	"github.com/telemetryflow/core/internal/crypto/clientassertion"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/oauth"
	"github.com/telemetryflow/core/oas"
)

// OAuth2API serves the oauth2 tag: the token, introspection and revocation endpoints and the
// discovery documents.
type OAuth2API struct {
	auth      *auth.Service
	discovery Discovery
}

// Discovery is where this server's OAuth2 endpoints are and what it supports.
type Discovery struct {
	// Issuer is the iss of every access token; BaseURL the public URL the endpoints are
	// reached at (TF_PUBLIC_URL).
	Issuer, BaseURL string
	// Scopes lists the permission catalog (scopes_supported).
	Scopes func(ctx context.Context) ([]string, error)
}

// TokenEndpoint is the token endpoint's URL: the audience of private_key_jwt assertions.
func (d Discovery) TokenEndpoint() string {
	return strings.TrimSuffix(d.BaseURL, "/") + "/oauth2/token"
}

// NewOAuth2API builds the OAuth2 handlers.
func NewOAuth2API(a *auth.Service, d Discovery) *OAuth2API { return &OAuth2API{auth: a, discovery: d} }

// Grant types.
const (
	grantClientCredentials = "client_credentials"
	grantRefreshToken      = "refresh_token"
)

func (h *OAuth2API) Oauth2Token(ctx context.Context, body oas.OptOAuth2TokenRequest) (oas.Oauth2TokenRes, error) {
	req := &body.Value // an absent body is an empty form: the checks below name what is missing
	c, _ := presented(ctx, req.ClientID.Or(""), req.ClientSecret.Or(""), req.ClientAssertionType.Or(""), req.ClientAssertion.Or(""))
	var out *oas.OAuth2Token
	var err error
	switch req.GrantType.Or("") {
	case "":
		err = oauth.InvalidRequest("grant_type is required.")
	case grantClientCredentials:
		out, err = h.clientCredentials(ctx, c, req.Scope.Or(""))
	case grantRefreshToken:
		out, err = h.refresh(ctx, c, req.RefreshToken.Or(""), req.Scope.Or(""))
	default:
		err = oauth.UnsupportedGrantType()
	}
	if err != nil {
		return oauth2Error(err)
	}
	return &oas.OAuth2TokenHeaders{CacheControl: "no-store", Pragma: "no-cache", Response: *out}, nil
}

func (h *OAuth2API) clientCredentials(ctx context.Context, c auth.ClientAuth, scope string) (*oas.OAuth2Token, error) {
	client, err := h.auth.AuthenticateClient(ctx, c)
	if err != nil {
		return nil, err
	}
	g, err := h.auth.ClientCredentials(ctx, client, scope)
	if err != nil {
		return nil, err
	}
	out := &oas.OAuth2Token{AccessToken: g.AccessToken, TokenType: oas.OAuth2TokenTokenTypeBearer, ExpiresIn: int(g.ExpiresIn.Seconds())}
	if g.Scope != "" {
		out.Scope = oas.NewOptString(g.Scope)
	}
	return out, nil
}

// refresh exchanges a login's refresh token. Those belong to people, who are public clients:
// a request that authenticates a client (service accounts get no refresh tokens) is refused,
// and so is a scope, which a refresh cannot narrow here.
func (h *OAuth2API) refresh(ctx context.Context, c auth.ClientAuth, raw, scope string) (*oas.OAuth2Token, error) {
	switch {
	case c.Presented():
		return nil, errs.New(errs.KindInvalid, oauth.CodeUnauthorizedClient, "Refresh tokens are issued to logins, not to clients.")
	case raw == "":
		return nil, oauth.InvalidRequest("refresh_token is required.")
	case strings.TrimSpace(scope) != "":
		return nil, oauth.InvalidScope()
	}
	g, err := h.auth.RefreshGrant(ctx, raw)
	if err != nil {
		return nil, err
	}
	return &oas.OAuth2Token{AccessToken: g.AccessToken, TokenType: oas.OAuth2TokenTokenTypeBearer,
		ExpiresIn: int(g.ExpiresIn.Seconds()), RefreshToken: oas.NewOptString(g.RefreshToken)}, nil
}

func (h *OAuth2API) Oauth2Revoke(ctx context.Context, body oas.OptOAuth2RevokeRequest) (oas.Oauth2RevokeRes, error) {
	req := &body.Value
	c, _ := presented(ctx, req.ClientID.Or(""), req.ClientSecret.Or(""), req.ClientAssertionType.Or(""), req.ClientAssertion.Or(""))
	client, err := h.auth.AuthenticateClient(ctx, c)
	if err != nil {
		return revokeError(err)
	}
	token := req.Token.Or("")
	if token == "" {
		return revokeError(oauth.InvalidRequest("token is required."))
	}
	if err := h.auth.RevokeToken(ctx, client, token, req.TokenTypeHint.Or("")); err != nil {
		return revokeError(err)
	}
	return &oas.Oauth2RevokeOK{}, nil
}

func (h *OAuth2API) Oauth2Introspect(ctx context.Context, body oas.OptOAuth2IntrospectRequest) (oas.Oauth2IntrospectRes, error) {
	req := &body.Value
	c, bearer := presented(ctx, req.ClientID.Or(""), req.ClientSecret.Or(""), req.ClientAssertionType.Or(""), req.ClientAssertion.Or(""))
	var who auth.Introspector
	if bearer != "" && !c.Presented() {
		p, err := h.auth.Verify(ctx, bearer)
		if err != nil {
			if errs.IsKind(err, errs.KindUnauthenticated) {
				return introspectError(oauth.InvalidClient(0))
			}
			return nil, err
		}
		who.Bearer = p
	} else {
		client, err := h.auth.AuthenticateClient(ctx, c)
		if err != nil {
			return introspectError(err)
		}
		who.Client = client
	}
	token := req.Token.Or("")
	if token == "" {
		return introspectError(oauth.InvalidRequest("token is required."))
	}
	in, err := h.auth.Introspect(ctx, who, token)
	if err != nil {
		return nil, err
	}
	out := oas.OAuth2Introspection{Active: in.Active}
	if in.Active {
		out.Sub = oas.NewOptString(in.Subject.String())
		out.Sid = oas.NewOptString(in.SessionID.String())
		out.TokenType = oas.NewOptString("Bearer")
		out.Exp = oas.NewOptInt64(in.ExpiresAt.Unix())
		out.Iss = oas.NewOptString(in.Issuer)
		if !in.IssuedAt.IsZero() {
			out.Iat = oas.NewOptInt64(in.IssuedAt.Unix())
		}
		if in.ClientID != "" {
			out.ClientID = oas.NewOptString(in.ClientID)
		}
		if in.Scope != "" {
			out.Scope = oas.NewOptString(in.Scope)
		}
	}
	return &oas.OAuth2IntrospectionHeaders{CacheControl: "no-store", Response: out}, nil
}

func (h *OAuth2API) GetOpenIDConfiguration(ctx context.Context) (*oas.OAuth2ServerMetadata, error) {
	return h.metadata(ctx)
}

func (h *OAuth2API) GetOAuthServerMetadata(ctx context.Context) (*oas.OAuth2ServerMetadata, error) {
	return h.metadata(ctx)
}

// metadata is RFC 8414's document, consistent with what is issued: issuer is every token's
// iss, the methods and algorithms are those AuthenticateClient accepts, the scopes the
// permission catalog.
func (h *OAuth2API) metadata(ctx context.Context) (*oas.OAuth2ServerMetadata, error) {
	scopes, err := h.discovery.Scopes(ctx)
	if err != nil {
		return nil, err
	}
	base := strings.TrimSuffix(h.discovery.BaseURL, "/")
	methods := []string{auth.MethodSecretBasic, auth.MethodSecretPost, auth.MethodPrivateKeyJWT}
	return &oas.OAuth2ServerMetadata{
		Issuer:                            h.discovery.Issuer,
		JwksURI:                           base + "/.well-known/jwks.json",
		TokenEndpoint:                     h.discovery.TokenEndpoint(),
		IntrospectionEndpoint:             base + "/oauth2/introspect",
		RevocationEndpoint:                base + "/oauth2/revoke",
		GrantTypesSupported:               []string{grantClientCredentials, grantRefreshToken},
		ResponseTypesSupported:            []string{"token"},
		TokenEndpointAuthMethodsSupported: methods,
		TokenEndpointAuthSigningAlgValuesSupported: clientassertion.Algorithms,
		IntrospectionEndpointAuthMethodsSupported:  methods,
		RevocationEndpointAuthMethodsSupported:     methods,
		ScopesSupported:                            scopes,
	}, nil
}

// oauth2Error answers an RFC 6749 §5.2 error as the token endpoint's result; any other error
// (rate limit, internal) goes on to problem+json.
func oauth2Error(err error) (oas.Oauth2TokenRes, error) {
	e, ok := protocolError(err)
	if !ok {
		return nil, err
	}
	if e.Error == oas.OAuth2ErrorErrorInvalidClient {
		return &oas.OAuth2ErrorHeaders{WwwAuthenticate: clientChallenge, Response: e}, nil
	}
	return &e, nil
}

func revokeError(err error) (oas.Oauth2RevokeRes, error) {
	res, err := oauth2Error(err)
	if err != nil {
		return nil, err
	}
	return res.(oas.Oauth2RevokeRes), nil
}

func introspectError(err error) (oas.Oauth2IntrospectRes, error) {
	res, err := oauth2Error(err)
	if err != nil {
		return nil, err
	}
	return res.(oas.Oauth2IntrospectRes), nil
}

// clientChallenge is the WWW-Authenticate of invalid_client (RFC 6749 §5.2).
const clientChallenge = `Basic realm="telemetryflow"`

// protocolError turns an error carrying a §5.2 code into its body.
func protocolError(err error) (oas.OAuth2Error, bool) {
	var e *errs.Error
	if !errors.As(err, &e) || !oauth.Protocol(e.Code) {
		return oas.OAuth2Error{}, false
	}
	return oas.OAuth2Error{Error: oas.OAuth2ErrorError(e.Code), ErrorDescription: oas.NewOptString(e.Message)}, true
}
