package auth

import (
	"context"
	"errors"
	"time"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/crypto/accesstoken"
	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/event"
)

// Refresh exchanges a refresh token for a new access token and a new refresh token
// (POST /auth/refresh). The old one is spent; presenting a spent one again ends the whole
// session (someone holds a copy). One unit of work: the token, its session, user and
// placement in one read (port.RefreshTokens.ForRotation), the decision (authn.CheckRefresh),
// then the conditional rotation, or on reuse the session's end with its SessionEnded event.
func (s *Service) Refresh(ctx context.Context, raw string) (*Grant, error) {
	r := &refreshAttempt{now: s.now(), failed: audit.NewAuth(ctx, "refresh", "session", audit.ResultFailure)}
	grant, err := s.refresh(ctx, r, raw)
	s.recordRefresh(ctx, r)
	return grant, err
}

// refreshAttempt is one refresh as it proceeds, and what it will record.
type refreshAttempt struct {
	now     time.Time
	failed  audit.Event
	view    *port.RefreshView
	refusal authn.RefreshRefusal
	// decided: the attempt has an outcome to record (not after an internal error).
	decided bool
	ok      *audit.Event
}

// errRefused rolls back a refresh that changes nothing.
var errRefused = errors.New("refresh refused")

func (s *Service) refresh(ctx context.Context, r *refreshAttempt, raw string) (*Grant, error) {
	if !authn.WellFormedRefreshToken(raw) {
		r.refusal, r.decided = authn.RefreshMalformed, true
		return nil, errInvalidRefresh
	}
	var next string
	err := s.cfg.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		v, err := tx.RefreshTokens().ForRotation(ctx, authn.HashRefreshToken(raw))
		if errs.IsKind(err, errs.KindNotFound) {
			r.refusal = authn.RefreshUnknown
			return errRefused
		}
		if err != nil {
			return err
		}
		r.view = v
		if r.refusal = authn.CheckRefresh(v.Token, v.Session, &v.User.User, v.User.HierarchyActive, r.now); r.refusal == "" {
			var token authn.RefreshToken
			next, token = authn.IssueRefreshToken(v.Session, v.Token.Family, r.now, s.cfg.RefreshTTL)
			rotated, err := tx.RefreshTokens().Rotate(ctx, v.Token.ID, token, r.now)
			if err != nil || rotated {
				return err
			}
			r.refusal = authn.RefreshReused // a concurrent refresh with the same token won
		}
		if r.refusal != authn.RefreshReused {
			return errRefused
		}
		// Both the thief's and the victim's copies die: the session ends.
		if err := tx.Sessions().Revoke(ctx, v.Session.ID, authn.EndRefreshTokenReuse, r.now); err != nil {
			return err
		}
		tx.Emit(event.SessionEnded{SessionID: v.Session.ID, UserID: v.User.ID, Reason: authn.EndRefreshTokenReuse})
		return nil
	})
	if err != nil && !errors.Is(err, errRefused) {
		return nil, err
	}
	r.decided = true
	if r.refusal != "" {
		return nil, errInvalidRefresh
	}
	v := r.view
	access, _, err := s.cfg.Tokens.Issue(accesstoken.Subject{UserID: v.User.ID, SessionID: v.Session.ID, TenantID: v.User.TenantID,
		OrganizationID: v.User.OrganizationID, AMR: v.Session.AMR})
	if err != nil {
		r.decided = false
		return nil, errs.Internal(err)
	}
	ok := audit.NewAuth(ctx, "refresh", "session", audit.ResultSuccess)
	ok.UserID, ok.UserEmail, ok.UserFirstName, ok.UserLastName = v.User.ID.String(), v.User.Email, v.User.FirstName, v.User.LastName
	ok.OrganizationID, ok.TenantID, ok.SessionID = v.User.OrganizationID.String(), v.User.TenantID.String(), v.Session.ID.String()
	r.ok = &ok
	user := v.User.User
	user.PasswordHash = "" // the grant leaves the service; the hash never does
	return &Grant{AccessToken: access, ExpiresIn: s.cfg.AccessTTL, RefreshToken: next, SessionID: v.Session.ID, User: &user}, nil
}

// recordRefresh records what the attempt came to. A failure is coalesced per client and
// reason; reuse is never coalesced and names the session's user.
func (s *Service) recordRefresh(ctx context.Context, r *refreshAttempt) {
	if !r.decided {
		return
	}
	if r.ok != nil {
		s.cfg.Audit.Record(ctx, *r.ok)
		s.cfg.Metrics.refresh(refreshSuccess)
		return
	}
	e := r.failed
	if v := r.view; v != nil {
		e.SessionID = v.Session.ID.String()
	}
	switch r.refusal {
	case authn.RefreshReused:
		v := r.view
		e.UserID, e.UserEmail = v.User.ID.String(), v.User.Email
		e.OrganizationID, e.TenantID = v.User.OrganizationID.String(), v.User.TenantID.String()
		e.Action, e.ErrorMessage = "refresh_token_reuse", "session_revoked"
		s.cfg.Audit.Record(ctx, e)
		s.cfg.Metrics.refresh(refreshReuse)
	case authn.RefreshMalformed, authn.RefreshUnknown:
		e.ErrorMessage = string(r.refusal)
		s.recordFailure(ctx, e)
		s.cfg.Metrics.refresh(refreshInvalid)
	default:
		e.ErrorMessage = string(r.refusal)
		s.recordFailure(ctx, e)
		s.cfg.Metrics.refresh(refreshExpired)
	}
}
