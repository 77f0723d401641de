package auth

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/platform/principal"
)

// The caller's own sessions (GET /auth/sessions, DELETE /auth/sessions/{id}), the MFA policy
// a session's requests are held to, and last_seen_at kept current without a write per request.
// Administrators' views of another user's sessions are IAM use cases (internal/app/command,
// internal/app/query), for the acting-on rule.

// ListSessions answers the caller's live sessions, newest first; current marks the caller's.
func (s *Service) ListSessions(ctx context.Context) ([]authn.Session, uuid.UUID, error) {
	p := principal.From(ctx)
	if p == nil {
		return nil, uuid.Nil, errNotLoggedIn
	}
	list, err := s.cfg.Store.SessionList().Live(ctx, p.UserID, s.now())
	return list, p.SessionID, err
}

// RevokeSession ends one of the caller's sessions (the current one too: that is a logout). A
// session of someone else answers 404 like an unknown one. Its access tokens are refused on the
// next request on every replica (the SessionEnded event).
func (s *Service) RevokeSession(ctx context.Context, id uuid.UUID) error {
	p := principal.From(ctx)
	if p == nil {
		return errNotLoggedIn
	}
	v, err := s.cfg.Store.Sessions().Get(ctx, id)
	if errs.IsKind(err, errs.KindNotFound) || (err == nil && (v.Session.UserID != p.UserID || v.Session.RevokedAt != nil)) {
		return errs.NotFound("session")
	}
	if err != nil {
		return err
	}
	err = s.cfg.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		if err := tx.Sessions().Revoke(ctx, id, authn.EndRevoked, s.now()); err != nil {
			return err
		}
		tx.Emit(event.SessionEnded{SessionID: id, UserID: p.UserID, Reason: authn.EndRevoked})
		return nil
	})
	if err != nil {
		return err
	}
	e := audit.NewAuth(ctx, "session_revoked", "session", audit.ResultSuccess)
	e.WithMetadata(map[string]any{"revoked_session_id": id.String(), "current": id == p.SessionID})
	s.cfg.Audit.Record(ctx, e)
	return nil
}

// mustEnrol applies the MFA policy to a session's user: their organization's require_mfa, and
// the platform-wide tier rule (read only for users without a factor, and only when configured).
func (s *Service) mustEnrol(ctx context.Context, v *port.SessionView) (bool, error) {
	st := v.Standing
	// A session opened by a client_credentials grant was authenticated by the service
	// account's own secret or key, not a password: a second factor has nothing to add there
	// and the machine could never enrol one.
	if st.MFAEnabled || v.Session.ClientID != "" {
		return false, nil
	}
	if st.OrganizationRequiresMFA || len(s.cfg.MFA.Tiers) == 0 {
		return st.OrganizationRequiresMFA, nil
	}
	standing, err := s.cfg.Standings.Standing(ctx, v.User.ID)
	if errs.IsKind(err, errs.KindNotFound) {
		return false, nil // a deleted user: the session is unusable anyway
	}
	if err != nil {
		return false, err
	}
	return s.cfg.MFA.MustEnrol(false, false, standing.BestTier), nil
}

// touch writes the session's last_seen_at when this instance has not seen it written within
// authn.LastSeenEvery: one conditional write a minute per session and instance at most, however
// many requests. A failed write is logged, never fails the request.
func (s *Service) touch(ctx context.Context, sid uuid.UUID, st *sessionState, now time.Time) {
	last := st.lastSeen.Load()
	if now.UnixNano()-last < int64(authn.LastSeenEvery) || !st.lastSeen.CompareAndSwap(last, now.UnixNano()) {
		return
	}
	if err := s.cfg.Store.SessionList().Touch(ctx, sid, now, now.Add(-authn.LastSeenEvery)); err != nil {
		s.cfg.Log.WarnContext(ctx, "updating a session's last_seen_at", "error", err)
	}
}
