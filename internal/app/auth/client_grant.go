package auth

import (
	"context"
	"time"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/crypto/accesstoken"
	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/oauth"
	"github.com/telemetryflow/core/internal/platform/reqinfo"
)

// ClientGrant is what a client_credentials grant hands out: an access token and no refresh
// token (RFC 6749 §4.4.3).
type ClientGrant struct {
	AccessToken string
	ExpiresIn   time.Duration
	Scope       string // the scope granted when narrowed, "" otherwise
}

// secretTouchEvery bounds how often a secret's last_used_at is written: a busy client must not
// turn every grant into an update of one hot row.
const secretTouchEvery = time.Minute

// ClientCredentials runs grant_type=client_credentials for an authenticated client: the
// scope (permission names) must be held by the account (invalid_scope otherwise); a session
// carrying the client id and the scope is opened for the token's lifetime, so revocation,
// deactivation and the verify path treat the token like any other.
func (s *Service) ClientCredentials(ctx context.Context, c *Client, scope string) (*ClientGrant, error) {
	now := s.now()
	names, err := oauth.ParseScope(scope)
	if err != nil {
		return nil, s.refuseGrant(ctx, c, "invalid_scope", err)
	}
	if names != nil {
		holds, err := s.holds(ctx, c.User.ID)
		if err != nil {
			return nil, err
		}
		if names, err = oauth.Narrow(names, holds); err != nil {
			return nil, s.refuseGrant(ctx, c, "invalid_scope", err)
		}
	}
	s.pruneClientSessions(ctx, now)
	info := reqinfo.From(ctx)
	se := authn.OpenSession(c.User.ID, now, s.cfg.AccessTTL, info.IP, info.UserAgent)
	se.ClientID, se.Scope = c.ID, names
	err = s.cfg.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		if err := tx.Sessions().Open(ctx, se); err != nil {
			return err
		}
		if sec := c.secret; sec != nil && (sec.LastUsedAt == nil || now.Sub(*sec.LastUsedAt) >= secretTouchEvery) {
			return tx.Clients().SecretUsed(ctx, sec.ID, now)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	granted := oauth.JoinScope(names)
	access, _, err := s.cfg.Tokens.Issue(accesstoken.Subject{UserID: c.User.ID, SessionID: se.ID, TenantID: c.User.TenantID,
		OrganizationID: c.User.OrganizationID, ClientID: c.ID, Scope: granted})
	if err != nil {
		return nil, errs.Internal(err)
	}
	ok := s.clientEvent(ctx, c, "token_grant", audit.ResultSuccess)
	ok.SessionID = se.ID.String()
	ok.WithMetadata(map[string]any{"client_id": c.ID, "method": c.Method, "credential_id": c.CredentialID.String(),
		"grant_type": "client_credentials", "scope": granted})
	s.cfg.Audit.Record(ctx, ok)
	return &ClientGrant{AccessToken: access, ExpiresIn: s.cfg.AccessTTL, Scope: granted}, nil
}

// refuseGrant records a refused grant of an authenticated client and answers err.
func (s *Service) refuseGrant(ctx context.Context, c *Client, reason string, err error) error {
	e := s.clientEvent(ctx, c, "token_grant", audit.ResultFailure)
	e.ErrorMessage = reason
	e.WithMetadata(map[string]any{"client_id": c.ID, "method": c.Method, "grant_type": "client_credentials"})
	s.recordFailure(ctx, e)
	return err
}

// clientEvent is an AUTH event about the client's service account.
func (s *Service) clientEvent(ctx context.Context, c *Client, action string, result audit.Result) audit.Event {
	e := audit.NewAuth(ctx, action, "oauth2_client", result)
	u := c.User
	e.UserID, e.UserEmail, e.UserFirstName = u.ID.String(), u.Email, u.FirstName
	e.OrganizationID, e.TenantID = u.OrganizationID.String(), u.TenantID.String()
	return e
}

// RefreshGrant runs grant_type=refresh_token: the login's refresh flow, with its failures in
// the protocol's words (invalid_grant).
func (s *Service) RefreshGrant(ctx context.Context, raw string) (*Grant, error) {
	g, err := s.Refresh(ctx, raw)
	if e := errs.As(err); e != nil && e.Code == errInvalidRefresh.Code {
		return nil, oauth.InvalidGrant()
	}
	return g, err
}

// pruneClientSessions deletes, at most once a minute per instance, the sessions of grants whose
// tokens expired over a lockout window ago (introspection and revocation have nothing left to
// find in them): a busy client opens one per grant.
func (s *Service) pruneClientSessions(ctx context.Context, now time.Time) {
	if !s.sessionPruner.due(now) {
		return
	}
	err := s.cfg.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		_, err := tx.Sessions().PruneClientSessions(ctx, now.Add(-s.cfg.Lockout.Duration-s.cfg.Leeway))
		return err
	})
	if err != nil {
		s.cfg.Log.WarnContext(ctx, "pruning ended client sessions", "error", err)
	}
}
