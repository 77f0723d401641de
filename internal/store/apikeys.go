package store

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/ent/apikey"
	"github.com/telemetryflow/core/ent/organization"
	"github.com/telemetryflow/core/ent/permission"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// apiKeys is port.APIKeys.
type apiKeys struct{ repos }

var _ port.APIKeys = apiKeys{}

func apiKeyOf(k *ent.APIKey) authn.APIKey {
	return authn.APIKey{ID: k.ID, UserID: k.UserID, Name: k.Name, Prefix: k.Prefix, Hash: k.SecretHash,
		Permissions: k.Permissions, CreatedAt: k.CreatedAt.UTC(), ExpiresAt: utcPtr(k.ExpiresAt),
		LastUsedAt: utcPtr(k.LastUsedAt), RevokedAt: utcPtr(k.RevokedAt)}
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := t.UTC()
	return &v
}

// ByHash reads the key, then its owner with their placement: two indexed lookups, made only
// when the verifier's cache misses.
func (r apiKeys) ByHash(ctx context.Context, hash []byte) (*port.APIKeyView, error) {
	k, err := r.c.APIKey.Query().Where(apikey.SecretHashEQ(hash)).Only(ctx)
	if err != nil {
		return nil, mapErr(err, "api_key", nil)
	}
	v := &port.APIKeyView{Key: apiKeyOf(k)}
	owner, err := credentials{r.repos}.Get(ctx, k.UserID)
	switch {
	case errs.IsKind(err, errs.KindNotFound):
	case err != nil:
		return nil, err
	default:
		v.Owner = owner
		required, err := r.c.Organization.Query().Where(organization.IDEQ(owner.OrganizationID)).
			Select(organization.FieldRequireMfa).Bool(ctx)
		if err != nil {
			return nil, mapErr(err, "", nil)
		}
		v.Standing = port.SessionStanding{MFAEnabled: owner.MFAEnabled, OrganizationRequiresMFA: required}
	}
	return v, nil
}

func (r apiKeys) Live(ctx context.Context, userID uuid.UUID) ([]authn.APIKey, error) {
	rows, err := r.c.APIKey.Query().Where(apikey.UserIDEQ(userID), apikey.RevokedAtIsNil()).
		Order(ent.Desc(apikey.FieldCreatedAt), ent.Desc(apikey.FieldID)).Limit(authn.MaxAPIKeysPerUser * 2).All(ctx)
	if err != nil {
		return nil, mapErr(err, "", nil)
	}
	out := make([]authn.APIKey, 0, len(rows))
	for _, k := range rows {
		out = append(out, apiKeyOf(k))
	}
	return out, nil
}

func (r apiKeys) Get(ctx context.Context, userID, id uuid.UUID) (*authn.APIKey, error) {
	k, err := r.c.APIKey.Query().Where(apikey.IDEQ(id), apikey.UserIDEQ(userID), apikey.RevokedAtIsNil()).Only(ctx)
	if err != nil {
		return nil, mapErr(err, "api_key", nil)
	}
	v := apiKeyOf(k)
	return &v, nil
}

func (r apiKeys) Create(ctx context.Context, k authn.APIKey) error {
	q := r.c.APIKey.Create().SetID(k.ID).SetUserID(k.UserID).SetName(k.Name).SetPrefix(k.Prefix).
		SetSecretHash(k.Hash).SetCreatedAt(k.CreatedAt).SetNillableExpiresAt(k.ExpiresAt)
	if k.Permissions != nil {
		q = q.SetPermissions(k.Permissions)
	}
	return mapErr(q.Exec(ctx), "api_key", nil)
}

func (r apiKeys) Revoke(ctx context.Context, id uuid.UUID, at time.Time) error {
	err := r.c.APIKey.Update().Where(apikey.IDEQ(id), apikey.RevokedAtIsNil()).SetRevokedAt(iam.Stamp(at)).Exec(ctx)
	return mapErr(err, "api_key", nil)
}

func (r apiKeys) Touch(ctx context.Context, id uuid.UUID, at time.Time) error {
	err := r.c.APIKey.Update().Where(apikey.IDEQ(id)).SetLastUsedAt(iam.Stamp(at)).Exec(ctx)
	return mapErr(err, "api_key", nil)
}

func (r apiKeys) KnownPermissions(ctx context.Context, names []string) ([]string, error) {
	if len(names) == 0 {
		return nil, nil
	}
	known, err := r.c.Permission.Query().Where(permission.NameIn(names...), permission.DeletedAtIsNil()).
		Select(permission.FieldName).Strings(ctx)
	return known, mapErr(err, "", nil)
}
