package service

import (
	"path/filepath"

	"github.com/telemetryflow/core/internal/crypto/apikey"
	"github.com/telemetryflow/core/internal/crypto/keyring"
	"github.com/telemetryflow/core/internal/platform/config"
	"github.com/telemetryflow/core/internal/platform/pagecursor"
)

// clientSecretLabel separates the client-secret key from every other key derived from the KEK.
const clientSecretLabel = "telemetryflow client secret hmac v1"

// kekSecrets is everything the service seals or keys with the key-encryption key, loaded (or
// on first use created) once at start. Every replica sharing the database shares the KEK, hence
// every key here; the KEK itself is never used as a MAC key (docs/security.md).
type kekSecrets struct {
	// sealer seals signing keys and TOTP secrets (bound to their user, authn.SealingContext).
	sealer *keyring.Sealer
	// apiKeys hashes API keys (docs/api-keys.md).
	apiKeys *apikey.Hasher
	// clientSecret keys the HMAC of service accounts' client secrets (docs/machine-identities.md).
	clientSecret []byte
	// cursors seals page cursors.
	cursors *pagecursor.Codec
}

func loadSecrets(cfg *config.Config) (*kekSecrets, error) {
	kek, err := keyring.LoadKEK(cfg.Auth.KeyEncryptionKey, filepath.Join(cfg.Database.DataDir, "keys", "kek"))
	if err != nil {
		return nil, err
	}
	var s kekSecrets
	if s.sealer, err = keyring.NewSealer(kek); err != nil {
		return nil, err
	}
	apiKey, err := apikey.KeyFromKEK(kek)
	if err != nil {
		return nil, err
	}
	if s.apiKeys, err = apikey.NewHasher(apiKey); err != nil {
		return nil, err
	}
	if s.clientSecret, err = keyring.Derive(kek, clientSecretLabel); err != nil {
		return nil, err
	}
	cursorKey, err := pagecursor.KeyFromKEK(kek)
	if err != nil {
		return nil, err
	}
	if s.cursors, err = pagecursor.New(cursorKey); err != nil {
		return nil, err
	}
	return &s, nil
}
