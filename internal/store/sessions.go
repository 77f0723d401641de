package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent/session"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// sessions is port.Sessions, the one place sessions are opened and ended.
type sessions struct{ repos }

var _ port.Sessions = sessions{}

// sessionSQL selects a session (s); sessionScan scans it.
const sessionSQL = `s.id, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.revoked_at, s.revoke_reason, s.ip_address, s.user_agent, s.amr, s.client_id, s.scope`

type sessionScan struct {
	s       authn.Session
	revoked sql.NullTime
	amr     string
	scope   string
}

func (s *sessionScan) dest() []any {
	v := &s.s
	return []any{&v.ID, &v.UserID, &v.CreatedAt, &v.LastSeenAt, &v.ExpiresAt, &s.revoked, &v.RevokeReason, &v.IPAddress, &v.UserAgent, &s.amr, &v.ClientID, &s.scope}
}

func (s *sessionScan) session() authn.Session {
	v := s.s
	v.CreatedAt, v.LastSeenAt, v.ExpiresAt, v.RevokedAt = v.CreatedAt.UTC(), v.LastSeenAt.UTC(), v.ExpiresAt.UTC(), nullTime(s.revoked)
	if v.ClientID == "" {
		// A client_credentials session was opened by no user authentication method at all;
		// only password sessions carry amr.
		v.AMR = authn.SplitAMR(s.amr)
	}
	v.Scope = splitScope(v.ClientID, s.scope)
	return v
}

var sessionViewSQL = `SELECT ` + sessionSQL + `, ` + placedUserSQL + `, o.require_mfa
  FROM sessions s JOIN users u ON u.id = s.user_id` + placedUserJoinSQL + `
 WHERE s.id = ?`

func (r sessions) Get(ctx context.Context, id uuid.UUID) (*port.SessionView, error) {
	var (
		s  sessionScan
		u  placedUserScan
		st port.SessionStanding
	)
	dest := append(append(s.dest(), u.dest()...), &st.OrganizationRequiresMFA)
	if err := r.queryOne(ctx, "session", sessionViewSQL, []any{id}, dest...); err != nil {
		return nil, err
	}
	st.MFAEnabled = u.u.MFAEnabled
	return &port.SessionView{Session: s.session(), User: u.user(), Standing: st}, nil
}

func (r sessions) Open(ctx context.Context, s authn.Session) error {
	err := r.c.Session.Create().SetID(s.ID).SetUserID(s.UserID).SetCreatedAt(s.CreatedAt).SetLastSeenAt(s.LastSeenAt).
		SetExpiresAt(s.ExpiresAt).SetIPAddress(s.IPAddress).SetUserAgent(s.UserAgent).SetAmr(authn.JoinAMR(s.AMR)).
		SetClientID(s.ClientID).SetScope(strings.Join(s.Scope, " ")).Exec(ctx)
	return mapErr(err, "session", nil)
}

// openWithTokenSQL inserts a session and its first refresh token in one statement
// (PostgreSQL: a data-modifying CTE; the token's foreign key is checked at the statement's
// end, when the session is there). Arguments: the session's id, user_id, created_at,
// last_seen_at, expires_at, ip_address, user_agent, amr, client_id, scope, then the token's
// id, token_hash, family, created_at, expires_at.
const openWithTokenSQL = `WITH s AS (
  INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at, revoke_reason, ip_address, user_agent, amr, client_id, scope)
  VALUES ($1, $2, $3, $4, $5, '', $6, $7, $8, $9, $10) RETURNING id)
INSERT INTO refresh_tokens (id, token_hash, session_id, family, created_at, expires_at)
SELECT $11, $12, s.id, $13, $14, $15 FROM s`

func (r sessions) OpenWithToken(ctx context.Context, s authn.Session, first authn.RefreshToken) error {
	if r.dialect != dialect.Postgres || first.SessionID != s.ID {
		// Embedded SQLite has no round trips to save (and no data-modifying CTE); a token of
		// another session (none today) is not what the statement inserts.
		if err := r.Open(ctx, s); err != nil {
			return err
		}
		return refreshTokens{r.repos}.Issue(ctx, first)
	}
	_, err := r.c.ExecContext(ctx, openWithTokenSQL, s.ID, s.UserID, s.CreatedAt, s.LastSeenAt, s.ExpiresAt, s.IPAddress, s.UserAgent,
		authn.JoinAMR(s.AMR), s.ClientID, strings.Join(s.Scope, " "), first.ID, first.Hash, first.Family, first.CreatedAt, first.ExpiresAt)
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

var liveSessionsSQL = `SELECT ` + sessionSQL + ` FROM sessions s
 WHERE s.user_id = ? AND s.revoked_at IS NULL AND s.expires_at > ?
 ORDER BY s.created_at DESC, s.id DESC`

// Live lists the user's usable sessions, newest first. A user has few (one per login that is
// still within its absolute lifetime), so the list is not paginated.
func (r sessions) Live(ctx context.Context, userID uuid.UUID, now time.Time) ([]authn.Session, error) {
	rows, err := r.c.QueryContext(ctx, r.rebind(liveSessionsSQL), userID, now)
	if err != nil {
		return nil, errs.Internal(err)
	}
	defer rows.Close()
	var out []authn.Session
	for rows.Next() {
		var s sessionScan
		if err := rows.Scan(s.dest()...); err != nil {
			return nil, errs.Internal(err)
		}
		out = append(out, s.session())
	}
	if err := rows.Err(); err != nil {
		return nil, errs.Internal(err)
	}
	return out, nil
}

// Touch is conditional, so replicas that each decide a session is due write it about once.
func (r sessions) Touch(ctx context.Context, id uuid.UUID, at, staleBefore time.Time) error {
	err := r.c.Session.Update().Where(session.IDEQ(id), session.LastSeenAtLT(staleBefore)).SetLastSeenAt(iam.Stamp(at)).Exec(ctx)
	return mapErr(err, "", nil)
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
