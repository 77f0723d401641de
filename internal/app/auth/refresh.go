package auth

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/ent/refreshtoken"
	"github.com/telemetryflow/core/ent/user"
	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/crypto/accesstoken"
	"github.com/telemetryflow/core/internal/domain/errs"
)

// errReuse marks a spent refresh token presented again.
var errReuse = errors.New("refresh token reused")

// Refresh exchanges a refresh token for a new access token and a new refresh token. The old one
// is spent; presenting a spent one again ends the whole session (someone holds a copy).
func (s *Service) Refresh(ctx context.Context, raw string) (*Grant, error) {
	now := s.now()
	failed := audit.New(ctx, audit.EventAuth, "refresh", "session", audit.ResultFailure)
	if !wellFormedRefresh(raw) {
		failed.ErrorMessage = "malformed"
		s.recordFailure(ctx, failed)
		s.cfg.Metrics.refresh(refreshInvalid)
		return nil, errInvalidRefresh
	}
	next, hash := newRefreshToken()
	var st *refreshState
	err := withTx(ctx, s.client, func(tx *ent.Tx) error {
		var err error
		if st, err = readRefreshState(ctx, tx, s.cfg.Dialect, hashRefresh(raw)); err != nil {
			return err
		}
		if st == nil {
			return errUnknownToken
		}
		failed.SessionID = st.sessionID.String()
		if st.usedAt != nil {
			return errReuse
		}
		u := &st.user
		if st.sessionRevoked != nil || !now.Before(st.sessionExpires) || !now.Before(st.tokenExpires) ||
			u.DeletedAt != nil || u.Status != user.StatusActive {
			return errSessionEnded
		}
		if !st.placed {
			return errOrganizationInactive // suspended: the token stays unspent for a reactivation
		}
		// Only one of two concurrent refreshes with the same token may win.
		n, err := tx.RefreshToken.Update().Where(refreshtoken.ID(st.tokenID), refreshtoken.UsedAtIsNil()).SetUsedAt(now).Save(ctx)
		if err != nil {
			return err
		}
		if n != 1 {
			return errReuse
		}
		return tx.RefreshToken.Create().SetTokenHash(hash).SetSessionID(st.sessionID).SetFamily(st.family).
			SetCreatedAt(now).SetExpiresAt(minTime(now.Add(s.cfg.RefreshTTL), st.sessionExpires)).Exec(ctx)
	})
	switch {
	case errors.Is(err, errReuse):
		return nil, s.reuseDetected(ctx, st.sessionID, failed, now)
	case errors.Is(err, errUnknownToken):
		failed.ErrorMessage = "unknown_token"
		s.recordFailure(ctx, failed)
		s.cfg.Metrics.refresh(refreshInvalid)
		return nil, errInvalidRefresh
	case errors.Is(err, errSessionEnded):
		failed.ErrorMessage = "session_ended_or_expired"
		s.recordFailure(ctx, failed)
		s.cfg.Metrics.refresh(refreshExpired)
		return nil, errInvalidRefresh
	case errors.Is(err, errOrganizationInactive):
		failed.ErrorMessage = "organization_inactive"
		s.recordFailure(ctx, failed)
		s.cfg.Metrics.refresh(refreshExpired)
		return nil, errInvalidRefresh
	case err != nil:
		return nil, errs.Internal(err)
	}
	u, tenant, sid := &st.user, st.tenant, st.sessionID
	access, _, err := s.tokens.Issue(accesstoken.Subject{UserID: u.ID, SessionID: sid, TenantID: tenant, OrganizationID: u.OrganizationID})
	if err != nil {
		return nil, errs.Internal(err)
	}
	ok := audit.New(ctx, audit.EventAuth, "refresh", "session", audit.ResultSuccess)
	ok.UserID, ok.UserEmail, ok.UserFirstName, ok.UserLastName = u.ID.String(), u.Email, u.FirstName, u.LastName
	ok.OrganizationID, ok.TenantID, ok.SessionID = u.OrganizationID.String(), tenant.String(), sid.String()
	s.record(ctx, ok)
	s.cfg.Metrics.refresh(refreshSuccess)
	return &Grant{AccessToken: access, ExpiresIn: s.cfg.AccessTTL, RefreshToken: next, SessionID: sid, Account: accountOf(u, tenant)}, nil
}

var (
	errSessionEnded         = errors.New("session ended")
	errOrganizationInactive = errors.New("organization, tenant or region inactive")
	errUnknownToken         = errors.New("unknown refresh token")
)

// reuseDetected revokes the session the spent token belonged to, so both the thief and the
// victim must log in again, and records it.
func (s *Service) reuseDetected(ctx context.Context, sid uuid.UUID, failed audit.Event, now time.Time) error {
	if err := s.store.revokeSession(ctx, sid, "refresh_token_reuse", now); err != nil {
		return errs.Internal(err)
	}
	s.sessionsEnded(sid)
	if row, err := s.store.loadSession(ctx, sid); err == nil {
		failed.UserID, failed.UserEmail = row.User.ID.String(), row.User.Email
		failed.OrganizationID, failed.TenantID = row.User.OrganizationID.String(), row.Placement.tenant.String()
	}
	failed.Action, failed.ErrorMessage = "refresh_token_reuse", "session_revoked"
	s.record(ctx, failed)
	s.cfg.Metrics.refresh(refreshReuse)
	return errInvalidRefresh
}
