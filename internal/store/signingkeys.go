package store

import (
	"context"
	"time"

	"github.com/telemetryflow/core/ent/signingkey"
	"github.com/telemetryflow/core/internal/app/port"
)

// signingKeys is port.SigningKeys: sealed keys in, sealed keys out (internal/crypto/keyring
// seals and opens them; the store never sees a private key in clear).
type signingKeys struct{ repos }

var _ port.SigningKeys = signingKeys{}

func (r signingKeys) Trusted(ctx context.Context, retiredAfter time.Time) ([]port.SealedKey, error) {
	rows, err := r.c.SigningKey.Query().
		Where(signingkey.Or(signingkey.RetiredAtIsNil(), signingkey.RetiredAtGT(retiredAfter))).All(ctx)
	if err != nil {
		return nil, mapErr(err, "", nil)
	}
	out := make([]port.SealedKey, 0, len(rows))
	for _, k := range rows {
		out = append(out, port.SealedKey{KID: k.Kid, Algorithm: k.Algorithm, PublicKey: k.PublicKey, PrivateSealed: k.PrivateKeySealed,
			CreatedAt: k.CreatedAt, NotBefore: k.NotBefore, RetiredAt: k.RetiredAt})
	}
	return out, nil
}

func (r signingKeys) Insert(ctx context.Context, k port.SealedKey) error {
	err := r.c.SigningKey.Create().SetKid(k.KID).SetAlgorithm(k.Algorithm).SetPublicKey(k.PublicKey).
		SetPrivateKeySealed(k.PrivateSealed).SetNotBefore(k.NotBefore).SetCreatedAt(k.CreatedAt).Exec(ctx)
	return mapErr(err, "signing_key", unique{"": "kid"})
}

// Retire is a conditional update: if another instance retired the key meanwhile, it answers
// false and changes nothing.
func (r signingKeys) Retire(ctx context.Context, kid string, at time.Time) (bool, error) {
	n, err := r.c.SigningKey.Update().Where(signingkey.Kid(kid), signingkey.RetiredAtIsNil()).SetRetiredAt(at).Save(ctx)
	return n == 1, mapErr(err, "", nil)
}
