package auth

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/event"
)

// EndOAuth2Revoke is why a session ended by POST /oauth2/revoke ended.
const EndOAuth2Revoke = "oauth2_revoke"

// RevokeToken is RFC 7009 for an authenticated client: an access token or a refresh token of
// the client's own ends its session in one unit of work (SessionEnded through the outbox
// invalidates every replica's cache; this one's at once), so the next request with it is
// refused. A token that is unknown, expired or not the client's changes nothing and answers
// success all the same (§2.2).
func (s *Service) RevokeToken(ctx context.Context, c *Client, raw, hint string) error {
	sid, ok, err := s.sessionOfToken(ctx, c.User.ID, raw, hint)
	if err != nil || !ok {
		return err
	}
	now := s.now()
	err = s.cfg.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		if err := tx.Sessions().Revoke(ctx, sid, EndOAuth2Revoke, now); err != nil {
			return err
		}
		tx.Emit(event.SessionEnded{SessionID: sid, UserID: c.User.ID, Reason: EndOAuth2Revoke})
		return nil
	})
	if err != nil {
		return err
	}
	s.sessions.invalidate(sid)
	e := s.clientEvent(ctx, c, "token_revocation", audit.ResultSuccess)
	e.SessionID = sid.String()
	e.WithMetadata(map[string]any{"client_id": c.ID, "method": c.Method})
	s.cfg.Audit.Record(ctx, e)
	return nil
}

// sessionOfToken finds the session of an access or refresh token owned by owner (ok false
// when the token is not a live token of theirs).
func (s *Service) sessionOfToken(ctx context.Context, owner uuid.UUID, raw, hint string) (uuid.UUID, bool, error) {
	tryRefresh := func() (uuid.UUID, bool, error) {
		if !authn.WellFormedRefreshToken(raw) {
			return uuid.Nil, false, nil
		}
		v, err := s.refreshView(ctx, raw)
		if err != nil || v == nil || v.User.ID != owner {
			return uuid.Nil, false, err
		}
		return v.Session.ID, true, nil
	}
	if hint == "refresh_token" {
		if sid, ok, err := tryRefresh(); ok || err != nil {
			return sid, ok, err
		}
	}
	if v, err := s.cfg.Tokens.Verify(ctx, raw); err == nil {
		return v.SessionID, v.UserID == owner, nil
	}
	return tryRefresh()
}

// refreshView reads a refresh token with its session and user (nil when unknown).
func (s *Service) refreshView(ctx context.Context, raw string) (*port.RefreshView, error) {
	var out *port.RefreshView
	err := s.cfg.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		v, err := tx.RefreshTokens().ForRotation(ctx, authn.HashRefreshToken(raw))
		if errs.IsKind(err, errs.KindNotFound) {
			return nil
		}
		out = v
		return err
	})
	return out, err
}
