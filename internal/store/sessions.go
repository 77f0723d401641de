package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent/session"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// sessions is port.Sessions, the one place sessions are opened and ended.
type sessions struct{ repos }

var _ port.Sessions = sessions{}

// sessionSQL selects a session (s); sessionScan scans it.
const sessionSQL = `s.id, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.revoked_at, s.revoke_reason, s.ip_address, s.user_agent, s.client_id, s.scope`

type sessionScan struct {
	s       authn.Session
	revoked sql.NullTime
	scope   string
}

func (s *sessionScan) dest() []any {
	v := &s.s
	return []any{&v.ID, &v.UserID, &v.CreatedAt, &v.LastSeenAt, &v.ExpiresAt, &s.revoked, &v.RevokeReason, &v.IPAddress, &v.UserAgent, &v.ClientID, &s.scope}
}

func (s *sessionScan) session() authn.Session {
	v := s.s
	v.CreatedAt, v.LastSeenAt, v.ExpiresAt, v.RevokedAt = v.CreatedAt.UTC(), v.LastSeenAt.UTC(), v.ExpiresAt.UTC(), nullTime(s.revoked)
	v.Scope = splitScope(v.ClientID, s.scope)
	return v
}

var sessionViewSQL = `SELECT ` + sessionSQL + `, ` + placedUserSQL + `
  FROM sessions s JOIN users u ON u.id = s.user_id` + placedUserJoinSQL + `
 WHERE s.id = ?`

func (r sessions) Get(ctx context.Context, id uuid.UUID) (*port.SessionView, error) {
	var (
		s sessionScan
		u placedUserScan
	)
	if err := r.queryOne(ctx, "session", sessionViewSQL, []any{id}, append(s.dest(), u.dest()...)...); err != nil {
		return nil, err
	}
	return &port.SessionView{Session: s.session(), User: u.user()}, nil
}

func (r sessions) Open(ctx context.Context, s authn.Session) error {
	err := r.c.Session.Create().SetID(s.ID).SetUserID(s.UserID).SetCreatedAt(s.CreatedAt).SetLastSeenAt(s.LastSeenAt).
		SetExpiresAt(s.ExpiresAt).SetIPAddress(s.IPAddress).SetUserAgent(s.UserAgent).
		SetClientID(s.ClientID).SetScope(strings.Join(s.Scope, " ")).Exec(ctx)
	return mapErr(err, "session", nil)
}

func (r sessions) Revoke(ctx context.Context, id uuid.UUID, reason string, at time.Time) error {
	err := r.c.Session.Update().Where(session.IDEQ(id), session.RevokedAtIsNil()).
		SetRevokedAt(iam.Stamp(at)).SetRevokeReason(reason).Exec(ctx)
	return mapErr(err, "session", nil)
}

// RevokeAll ends the user's live sessions in the caller's transaction, so the change that
// ends them (a status change, a password) and the revocation commit (or fail) together.
func (r sessions) RevokeAll(ctx context.Context, userID uuid.UUID, reason string, at time.Time, except ...uuid.UUID) (int, error) {
	q := r.c.Session.Update().Where(session.UserIDEQ(userID), session.RevokedAtIsNil())
	if len(except) > 0 {
		q = q.Where(session.IDNotIn(except...))
	}
	n, err := q.SetRevokedAt(iam.Stamp(at)).SetRevokeReason(reason).Save(ctx)
	return n, mapErr(err, "", nil)
}

// splitScope reads the scope column: nil (not narrowed) for a password session or a client
// session whose grant named no scope, the names otherwise. A narrowed scope is never empty
// (a grant for no permission at all is refused), so "" always means not narrowed.
func splitScope(clientID, scope string) []string {
	if clientID == "" || scope == "" {
		return nil
	}
	return strings.Fields(scope)
}

func (r sessions) PruneClientSessions(ctx context.Context, before time.Time) (int, error) {
	n, err := r.c.Session.Delete().Where(session.ClientIDNEQ(""), session.ExpiresAtLT(iam.Stamp(before))).Exec(ctx)
	return n, mapErr(err, "", nil)
}
