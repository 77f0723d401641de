package auth

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/platform/principal"
)

// PermissionIntrospect lets its holder introspect any token (RFC 7662): resource servers.
const PermissionIntrospect = "oauth2:introspect"

// Introspection is what RFC 7662 answers about a token.
type Introspection struct {
	Active    bool
	Subject   uuid.UUID
	SessionID uuid.UUID
	ClientID  string
	Scope     string
	IssuedAt  time.Time
	ExpiresAt time.Time
	Issuer    string
}

// Introspector is who asks: a client, or a bearer's principal.
type Introspector struct {
	Client *Client
	Bearer *principal.Principal
}

// mayIntrospect: the caller holds oauth2:introspect (and its credential is not narrowed
// without it), and the token's subject sits in the caller's organization unless the caller is
// a super administrator.
func (s *Service) mayIntrospect(ctx context.Context, caller uuid.UUID, r principal.Restriction, tokenOrg uuid.UUID) (bool, error) {
	if s.cfg.Holdings == nil || !r.Allows(PermissionIntrospect) {
		return false, nil
	}
	st, err := s.cfg.Holdings.Standing(ctx, caller)
	if err != nil {
		return false, err
	}
	if !st.SuperAdministrator && st.OrganizationID != tokenOrg {
		return false, nil
	}
	holds, err := s.holds(ctx, caller)
	if err != nil {
		return false, err
	}
	return holds(PermissionIntrospect), nil
}

// Introspect answers whether raw is an active access token and what it carries. The caller
// may ask about its own tokens, or about those of its organization with oauth2:introspect
// (mayIntrospect); otherwise, and for any token that is not active, the answer is
// {active: false} and nothing else.
func (s *Service) Introspect(ctx context.Context, who Introspector, raw string) (Introspection, error) {
	caller := uuid.Nil
	restriction := principal.Restriction{}
	switch {
	case who.Client != nil:
		caller = who.Client.User.ID
	case who.Bearer != nil:
		caller, restriction = who.Bearer.UserID, who.Bearer.Restriction
	}
	v, err := s.cfg.Tokens.Verify(ctx, raw)
	if err != nil {
		return Introspection{}, nil
	}
	if _, err := s.Verify(ctx, raw); err != nil {
		if errs.IsKind(err, errs.KindUnauthenticated) {
			return Introspection{}, nil
		}
		return Introspection{}, err
	}
	if v.UserID != caller {
		allowed, err := s.mayIntrospect(ctx, caller, restriction, v.OrganizationID)
		if err != nil {
			return Introspection{}, err
		}
		if !allowed {
			e := audit.NewAuth(ctx, "token_introspection", "oauth2_client", audit.ResultFailure)
			e.UserID, e.ErrorMessage = caller.String(), "not_allowed"
			s.recordFailure(ctx, e)
			return Introspection{}, nil
		}
	}
	return Introspection{Active: true, Subject: v.UserID, SessionID: v.SessionID, ClientID: v.ClientID, Scope: v.Scope,
		IssuedAt: v.IssuedAt, ExpiresAt: v.ExpiresAt, Issuer: s.cfg.Tokens.Issuer()}, nil
}
