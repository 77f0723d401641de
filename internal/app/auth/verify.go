package auth

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/crypto/accesstoken"
	"github.com/telemetryflow/core/internal/crypto/apikey"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/platform/principal"
)

// Verify turns a bearer token into the caller: signature and claims (cached per token), then
// the session and its user (cached per session, invalidated on every revocation).
func (s *Service) Verify(ctx context.Context, raw string) (*principal.Principal, error) {
	if raw == "" {
		return nil, rejected(accesstoken.ReasonMissing)
	}
	if apikey.HasPrefix(raw) {
		return s.verifyAPIKey(ctx, raw) // apikey.go
	}
	now := s.now()
	v, ok := s.verified.get(raw)
	if ok && !now.Before(v.ExpiresAt.Add(s.cfg.Leeway)) {
		s.verified.drop(raw)
		return nil, rejected(accesstoken.ReasonExpired)
	}
	if !ok {
		var err error
		if v, err = s.cfg.Tokens.Verify(ctx, raw); err != nil {
			var re *accesstoken.RejectedError
			if errors.As(err, &re) {
				return nil, rejected(re.Reason)
			}
			return nil, errs.Internal(err)
		}
		s.verified.put(raw, v)
	}
	st, gen, ok := s.sessions.get(v.SessionID, now)
	if !ok {
		var err error
		if st, err = s.loadSessionState(ctx, v.SessionID); err != nil {
			return nil, err
		}
		s.sessions.put(v.SessionID, st, gen)
	}
	switch {
	case st.userID != v.UserID:
		return nil, rejected(accesstoken.ReasonClaims)
	case !st.usable:
		return nil, rejected(accesstoken.ReasonSessionEnded)
	case !st.placed:
		return nil, rejected(accesstoken.ReasonOrganizationInactive)
	case !now.Before(st.expiresAt):
		return nil, rejected(accesstoken.ReasonSessionEnded)
	}
	s.touch(ctx, v.SessionID, st, now)
	return st.principal, nil
}

func (s *Service) loadSessionState(ctx context.Context, sid uuid.UUID) (*sessionState, error) {
	v, err := s.cfg.Store.Sessions().Get(ctx, sid)
	if errs.IsKind(err, errs.KindNotFound) {
		return &sessionState{loadedAt: s.now()}, nil
	}
	if err != nil {
		return nil, err
	}
	u := &v.User
	mustEnrol, err := s.mustEnrol(ctx, v)
	if err != nil {
		return nil, err
	}
	p := &principal.Principal{UserID: u.ID, SessionID: sid, TenantID: u.TenantID, OrganizationID: u.OrganizationID,
		Email: u.Email, FirstName: u.FirstName, LastName: u.LastName, AMR: v.Session.AMR, MFAEnrollmentRequired: mustEnrol}
	if v.Session.Scope != nil {
		// A client_credentials grant narrowed by scope: the gate and the actor see only it.
		p.Restriction = principal.Restrict(v.Session.Scope)
	}
	st := &sessionState{
		principal: p,
		userID:    u.ID,
		usable:    v.Session.Usable(&u.User),
		placed:    u.HierarchyActive,
		expiresAt: v.Session.ExpiresAt,
		loadedAt:  s.now(),
	}
	st.lastSeen.Store(v.Session.LastSeenAt.UnixNano())
	return st, nil
}

// InvalidateUser drops every cached session of the user; subscribers of user lifecycle and
// password events call it so a revocation is effective on the very next request.
func (s *Service) InvalidateUser(id uuid.UUID) {
	s.sessions.invalidateUser(id)
	s.keys.invalidateUser(id)
}

// InvalidateSession drops one cached session (ended on another instance).
func (s *Service) InvalidateSession(id uuid.UUID) { s.sessions.invalidate(id) }

// InvalidateAllSessions drops every cached session: this instance may have missed changes, or
// an organization, tenant or region changed, which reaches an unknown number of sessions.
func (s *Service) InvalidateAllSessions() {
	s.sessions.invalidateAll()
	s.keys.invalidateAll()
}

// RejectedReason extracts the audit reason from a verification error.
func RejectedReason(err error) (accesstoken.Reason, bool) {
	var e *errs.Error
	if errors.As(err, &e) && e.Code == codeTokenRejected {
		var re *accesstoken.RejectedError
		if errors.As(e.Cause, &re) {
			return re.Reason, true
		}
	}
	return "", false
}

const codeTokenRejected = "invalid_token"

func rejected(r accesstoken.Reason) error {
	return errs.Wrap(errs.KindUnauthenticated, codeTokenRejected,
		"The access token is missing, invalid, expired or revoked.", &accesstoken.RejectedError{Reason: r})
}

// RecordRejected writes the AUTH audit event for a request refused at authentication: err is
// what the security layer failed with (a missing token is anything that is not ours).
func (s *Service) RecordRejected(ctx context.Context, err error) {
	reason, ok := RejectedReason(err)
	if !ok {
		reason = accesstoken.ReasonMissing
	}
	e, isKey := rejectedKeyEvent(ctx, err)
	if !isKey {
		e = audit.NewAuth(ctx, "token_rejected", "session", audit.ResultFailure)
		e.ErrorMessage = string(reason)
	}
	s.recordFailure(ctx, e)
	s.cfg.Metrics.rejectedToken(reason)
}
