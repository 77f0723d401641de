package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent/refreshtoken"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/authn"
)

// refreshTokens is port.RefreshTokens.
type refreshTokens struct{ repos }

var _ port.RefreshTokens = refreshTokens{}

var refreshViewSQL = `SELECT rt.id, rt.token_hash, rt.session_id, rt.family, rt.created_at, rt.used_at, rt.expires_at,
       ` + sessionSQL + `, ` + placedUserSQL + `
  FROM refresh_tokens rt
  JOIN sessions s ON s.id = rt.session_id
  JOIN users u ON u.id = s.user_id` + placedUserJoinSQL + `
 WHERE rt.token_hash = ?`

func (r refreshTokens) ForRotation(ctx context.Context, hash []byte) (*port.RefreshView, error) {
	var (
		t    authn.RefreshToken
		used sql.NullTime
		s    sessionScan
		u    placedUserScan
	)
	dest := append([]any{&t.ID, &t.Hash, &t.SessionID, &t.Family, &t.CreatedAt, &used, &t.ExpiresAt}, s.dest()...)
	if err := r.queryOne(ctx, "refresh_token", refreshViewSQL, []any{hash}, append(dest, u.dest()...)...); err != nil {
		return nil, err
	}
	t.CreatedAt, t.ExpiresAt, t.UsedAt = t.CreatedAt.UTC(), t.ExpiresAt.UTC(), nullTime(used)
	return &port.RefreshView{Token: t, Session: s.session(), User: u.user()}, nil
}

func (r refreshTokens) Issue(ctx context.Context, t authn.RefreshToken) error {
	err := r.c.RefreshToken.Create().SetID(t.ID).SetTokenHash(t.Hash).SetSessionID(t.SessionID).SetFamily(t.Family).
		SetCreatedAt(t.CreatedAt).SetExpiresAt(t.ExpiresAt).Exec(ctx)
	return mapErr(err, "refresh_token", nil)
}

// Rotate spends with a conditional update: of two concurrent rotations of one token only one
// finds it unused.
func (r refreshTokens) Rotate(ctx context.Context, spent uuid.UUID, next authn.RefreshToken, at time.Time) (bool, error) {
	n, err := r.c.RefreshToken.Update().Where(refreshtoken.IDEQ(spent), refreshtoken.UsedAtIsNil()).SetUsedAt(at).Save(ctx)
	if err != nil || n != 1 {
		return false, mapErr(err, "", nil)
	}
	return true, r.Issue(ctx, next)
}
