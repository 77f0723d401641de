package auth

import (
	"context"
	"database/sql"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/ent/user"
	"github.com/telemetryflow/core/internal/platform/sqldb"
)

// refreshState is everything one refresh needs about a token, its session and its user, read
// in one round trip: refresh is the hot path of every long-lived client.
type refreshState struct {
	tokenID, family uuid.UUID
	usedAt          *time.Time
	tokenExpires    time.Time
	sessionID       uuid.UUID
	sessionExpires  time.Time
	sessionRevoked  *time.Time
	user            ent.User
	tenant          uuid.UUID
	placed          bool // the user's organization, tenant and region all active and live
}

var refreshStateSQL = `
SELECT rt.id, rt.family, rt.used_at, rt.expires_at,
       s.id, s.expires_at, s.revoked_at,
       u.id, u.email, u.first_name, u.last_name, u.organization_id, u.status, u.deleted_at,
       u.last_login_at, u.locked_until, u.password_changed_at, u.created_at, u.updated_at,
       o.tenant_id, ` + hierarchyActiveSQL + `
  FROM refresh_tokens rt
  JOIN sessions s ON s.id = rt.session_id
  JOIN users u ON u.id = s.user_id
  JOIN organizations o ON o.id = u.organization_id` + hierarchySQL + `
 WHERE rt.token_hash = ?`

// readRefreshState returns (nil, nil) when no token has this hash.
func readRefreshState(ctx context.Context, tx *ent.Tx, dia string, hash []byte) (*refreshState, error) {
	rows, err := tx.QueryContext(ctx, sqldb.Rebind(dia, refreshStateSQL), hash)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, rows.Err()
	}
	var (
		st                                       refreshState
		used, revoked, deleted, last, locked, pw sql.NullTime
		status                                   string
	)
	u := &st.user
	if err := rows.Scan(&st.tokenID, &st.family, &used, &st.tokenExpires, &st.sessionID, &st.sessionExpires, &revoked,
		&u.ID, &u.Email, &u.FirstName, &u.LastName, &u.OrganizationID, &status, &deleted,
		&last, &locked, &pw, &u.CreatedAt, &u.UpdatedAt, &st.tenant, &st.placed); err != nil {
		return nil, err
	}
	u.Status = user.Status(status)
	st.usedAt, st.sessionRevoked, u.DeletedAt = timePtr(used), timePtr(revoked), timePtr(deleted)
	u.LastLoginAt, u.LockedUntil, u.PasswordChangedAt = timePtr(last), timePtr(locked), timePtr(pw)
	return &st, rows.Err()
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time.UTC()
	return &v
}
