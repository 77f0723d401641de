package command

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/actor"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/crypto/clientassertion"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/domain/oauth"
)

// A service account's credentials. Minting one is acting on the account: whoever holds the
// credential holds everything the account holds, so the caller must hold all of it too
// (targetUser applies actor.CheckActsOn) — an administrator cannot mint a secret for a more
// powerful account.

// maxSecretDescription bounds a credential's description (the column's length).
const maxSecretDescription = 500

// MintClientSecret issues a new client secret for a service account; several may be live at
// once (rotation).
type MintClientSecret struct {
	ServiceAccountID uuid.UUID  `json:"service_account_id"`
	Description      string     `json:"description"`
	ExpiresAt        *time.Time `json:"expires_at,omitempty"`
}

// MintedSecret is the new secret: Raw leaves the service once, in the response.
type MintedSecret struct {
	oauth.Secret
	Raw string
}

// MintClientSecretHandler handles MintClientSecret.
type MintClientSecretHandler struct{ Deps }

func (h MintClientSecretHandler) Handle(ctx context.Context, c MintClientSecret) (*MintedSecret, error) {
	if len(h.ClientSecretKey) < 32 {
		return nil, errs.Internal(errNoSecretKey)
	}
	now := h.Now()
	if err := checkCredential(c.Description, c.ExpiresAt, now); err != nil {
		return nil, err
	}
	return change(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) (*MintedSecret, error) {
		if _, err := targetServiceAccount(ctx, a, tx, c.ServiceAccountID); err != nil {
			return nil, err
		}
		raw := oauth.NewSecret()
		s := oauth.Secret{ID: iam.NewID(), UserID: c.ServiceAccountID, Hash: oauth.HashSecret(h.ClientSecretKey, raw),
			Description: c.Description, CreatedAt: iam.Stamp(now), ExpiresAt: stamp(c.ExpiresAt)}
		if err := tx.Clients().AddSecret(ctx, s); err != nil {
			return nil, err
		}
		return &MintedSecret{Secret: s, Raw: raw}, nil
	})
}

// RevokeClientSecret revokes one secret of a service account.
type RevokeClientSecret struct {
	ServiceAccountID uuid.UUID `json:"service_account_id"`
	SecretID         uuid.UUID `json:"secret_id"`
}

// RevokeClientSecretHandler handles RevokeClientSecret.
type RevokeClientSecretHandler struct{ Deps }

func (h RevokeClientSecretHandler) Handle(ctx context.Context, c RevokeClientSecret) (Done, error) {
	return act(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) error {
		if _, err := targetServiceAccount(ctx, a, tx, c.ServiceAccountID); err != nil {
			return err
		}
		return tx.Clients().RevokeSecret(ctx, c.ServiceAccountID, c.SecretID, h.Now())
	})
}

// AddClientKey registers a public key a service account signs private_key_jwt assertions
// with.
type AddClientKey struct {
	ServiceAccountID uuid.UUID  `json:"service_account_id"`
	JWK              []byte     `json:"jwk"` // public: safe in the audit row
	ExpiresAt        *time.Time `json:"expires_at,omitempty"`
}

// AddClientKeyHandler handles AddClientKey.
type AddClientKeyHandler struct{ Deps }

func (h AddClientKeyHandler) Handle(ctx context.Context, c AddClientKey) (*oauth.Key, error) {
	now := h.Now()
	if err := checkCredential("", c.ExpiresAt, now); err != nil {
		return nil, err
	}
	pk, err := clientassertion.ParseJWK(c.JWK)
	if err != nil {
		return nil, errs.Invalid(errs.FieldError{Field: "jwk", Code: "invalid_key", Message: err.Error()})
	}
	return change(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) (*oauth.Key, error) {
		if _, err := targetServiceAccount(ctx, a, tx, c.ServiceAccountID); err != nil {
			return nil, err
		}
		k := oauth.Key{ID: iam.NewID(), UserID: c.ServiceAccountID, KID: pk.KID, Algorithm: pk.Alg, JWK: pk.JWK,
			CreatedAt: iam.Stamp(now), ExpiresAt: stamp(c.ExpiresAt)}
		if err := tx.Clients().AddKey(ctx, k); err != nil {
			return nil, err
		}
		return &k, nil
	})
}

// RevokeClientKey revokes one key of a service account.
type RevokeClientKey struct {
	ServiceAccountID uuid.UUID `json:"service_account_id"`
	KeyID            uuid.UUID `json:"key_id"`
}

// RevokeClientKeyHandler handles RevokeClientKey.
type RevokeClientKeyHandler struct{ Deps }

func (h RevokeClientKeyHandler) Handle(ctx context.Context, c RevokeClientKey) (Done, error) {
	return act(ctx, h.Deps, func(ctx context.Context, a *actor.Actor, tx port.Tx) error {
		if _, err := targetServiceAccount(ctx, a, tx, c.ServiceAccountID); err != nil {
			return err
		}
		return tx.Clients().RevokeKey(ctx, c.ServiceAccountID, c.KeyID, h.Now())
	})
}

var errNoSecretKey = errs.New(errs.KindInternal, errs.CodeInternal, "no client secret key configured")

// checkCredential validates a new credential's description and expiry.
func checkCredential(description string, expires *time.Time, now time.Time) error {
	if len([]rune(description)) > maxSecretDescription {
		return errs.Invalid(errs.FieldError{Field: "description", Message: "must be at most 500 characters"})
	}
	return oauth.CheckExpiry(expires, now)
}

func stamp(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := iam.Stamp(*t)
	return &v
}
