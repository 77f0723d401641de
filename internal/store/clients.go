package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/ent/clientkey"
	"github.com/telemetryflow/core/ent/clientsecret"
	"github.com/telemetryflow/core/ent/usedassertion"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/domain/oauth"
)

// clients is port.ClientCredentialRepository: service accounts' secrets and keys, and the
// private_key_jwt assertion ids already seen.
type clients struct{ repos }

var _ port.ClientCredentialRepository = clients{}

func (r clients) Secrets(ctx context.Context, userID uuid.UUID) ([]oauth.Secret, error) {
	rows, err := r.c.ClientSecret.Query().Where(clientsecret.UserIDEQ(userID), clientsecret.RevokedAtIsNil()).
		Order(ent.Desc(clientsecret.FieldCreatedAt), ent.Desc(clientsecret.FieldID)).All(ctx)
	if err != nil {
		return nil, errs.Internal(err)
	}
	out := make([]oauth.Secret, len(rows))
	for i, e := range rows {
		out[i] = oauth.Secret{ID: e.ID, UserID: e.UserID, Hash: e.SecretHash, Description: e.Description,
			CreatedAt: e.CreatedAt.UTC(), ExpiresAt: utc(e.ExpiresAt), LastUsedAt: utc(e.LastUsedAt), RevokedAt: utc(e.RevokedAt)}
	}
	return out, nil
}

// withSecretsSQL is userByIDSQL with the user's live secrets joined (one row per secret, or
// one row of NULLs for none).
const withSecretsSQL = `SELECT ` + placedUserSQL + `, cs.id, cs.secret_hash, cs.description, cs.created_at, cs.expires_at, cs.last_used_at
  FROM users u` + placedUserJoinSQL + `
  LEFT JOIN client_secrets cs ON cs.user_id = u.id AND cs.revoked_at IS NULL
 WHERE u.id = ? AND u.deleted_at IS NULL
 ORDER BY cs.created_at DESC, cs.id DESC`

func (r clients) WithSecrets(ctx context.Context, userID uuid.UUID) (*port.PlacedUser, []oauth.Secret, error) {
	rows, err := r.c.QueryContext(ctx, r.rebind(withSecretsSQL), userID)
	if err != nil {
		return nil, nil, errs.Internal(err)
	}
	defer rows.Close()
	var (
		u       *port.PlacedUser
		secrets []oauth.Secret
	)
	for rows.Next() {
		var (
			us                     placedUserScan
			id                     uuid.NullUUID
			hash                   []byte
			desc                   sql.NullString
			created, expires, used sql.NullTime
		)
		if err := rows.Scan(append(us.dest(), &id, &hash, &desc, &created, &expires, &used)...); err != nil {
			return nil, nil, errs.Internal(err)
		}
		if u == nil {
			v := us.user()
			u = &v
		}
		if id.Valid {
			secrets = append(secrets, oauth.Secret{ID: id.UUID, UserID: userID, Hash: hash, Description: desc.String,
				CreatedAt: created.Time.UTC(), ExpiresAt: nullTime(expires), LastUsedAt: nullTime(used)})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, errs.Internal(err)
	}
	if u == nil {
		return nil, nil, errs.NotFound("user")
	}
	return u, secrets, nil
}

func (r clients) Keys(ctx context.Context, userID uuid.UUID) ([]oauth.Key, error) {
	rows, err := r.c.ClientKey.Query().Where(clientkey.UserIDEQ(userID), clientkey.RevokedAtIsNil()).
		Order(ent.Desc(clientkey.FieldCreatedAt), ent.Desc(clientkey.FieldID)).All(ctx)
	if err != nil {
		return nil, errs.Internal(err)
	}
	out := make([]oauth.Key, len(rows))
	for i, e := range rows {
		out[i] = oauth.Key{ID: e.ID, UserID: e.UserID, KID: e.Kid, Algorithm: e.Algorithm, JWK: e.Jwk,
			CreatedAt: e.CreatedAt.UTC(), ExpiresAt: utc(e.ExpiresAt), RevokedAt: utc(e.RevokedAt)}
	}
	return out, nil
}

func (r clients) AddSecret(ctx context.Context, s oauth.Secret) error {
	err := r.c.ClientSecret.Create().SetID(s.ID).SetUserID(s.UserID).SetSecretHash(s.Hash).
		SetDescription(s.Description).SetCreatedAt(iam.Stamp(s.CreatedAt)).SetNillableExpiresAt(stamped(s.ExpiresAt)).Exec(ctx)
	return mapErr(err, "client_secret", nil)
}

func (r clients) RevokeSecret(ctx context.Context, userID, id uuid.UUID, at time.Time) error {
	n, err := r.c.ClientSecret.Update().Where(clientsecret.IDEQ(id), clientsecret.UserIDEQ(userID), clientsecret.RevokedAtIsNil()).
		SetRevokedAt(iam.Stamp(at)).Save(ctx)
	return affected(n, err, "client_secret", nil)
}

func (r clients) SecretUsed(ctx context.Context, id uuid.UUID, at time.Time) error {
	return mapErr(r.c.ClientSecret.UpdateOneID(id).SetLastUsedAt(iam.Stamp(at)).Exec(ctx), "client_secret", nil)
}

func (r clients) AddKey(ctx context.Context, k oauth.Key) error {
	err := r.c.ClientKey.Create().SetID(k.ID).SetUserID(k.UserID).SetKid(k.KID).SetAlgorithm(k.Algorithm).SetJwk(k.JWK).
		SetCreatedAt(iam.Stamp(k.CreatedAt)).SetNillableExpiresAt(stamped(k.ExpiresAt)).Exec(ctx)
	return mapErr(err, "client_key", nil)
}

func (r clients) RevokeKey(ctx context.Context, userID, id uuid.UUID, at time.Time) error {
	n, err := r.c.ClientKey.Update().Where(clientkey.IDEQ(id), clientkey.UserIDEQ(userID), clientkey.RevokedAtIsNil()).
		SetRevokedAt(iam.Stamp(at)).Save(ctx)
	return affected(n, err, "client_key", nil)
}

// UseAssertion inserts the id: the primary key makes the second use of one id change nothing,
// on every replica sharing the database; the count of rows inserted tells which use it was.
func (r clients) UseAssertion(ctx context.Context, id string, expires, now time.Time) (bool, error) {
	if _, err := r.c.UsedAssertion.Delete().Where(usedassertion.ExpiresAtLT(iam.Stamp(now))).Exec(ctx); err != nil {
		return false, errs.Internal(err)
	}
	// ON CONFLICT DO NOTHING: a failed insert would abort a PostgreSQL transaction.
	res, err := r.c.ExecContext(ctx, r.rebind(`INSERT INTO used_assertions (id, expires_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING`),
		id, iam.Stamp(expires))
	if err != nil {
		return false, errs.Internal(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, errs.Internal(err)
	}
	return n == 1, nil
}

// stamped is iam.Stamp of an optional time.
func stamped(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := iam.Stamp(*t)
	return &v
}
