package service

import (
	"path/filepath"

	"github.com/telemetryflow/core/internal/crypto/apikey"
	"github.com/telemetryflow/core/internal/crypto/keyring"
	"github.com/telemetryflow/core/internal/platform/config"
)

// apiKeyHasher hashes API keys under a key derived from the key-encryption key, which every
// replica sharing the database shares (so a key minted on one is verified on all) and which is
// not in the database (docs/api-keys.md).
func apiKeyHasher(cfg *config.Config) (*apikey.Hasher, error) {
	kek, err := loadKEK(cfg)
	if err != nil {
		return nil, err
	}
	key, err := apikey.KeyFromKEK(kek)
	if err != nil {
		return nil, err
	}
	return apikey.NewHasher(key)
}

// loadKEK loads (or on first use creates) the key-encryption key every sealed secret and
// derived key of this service hangs off (keyring.LoadKEK).
func loadKEK(cfg *config.Config) ([]byte, error) {
	return keyring.LoadKEK(cfg.Auth.KeyEncryptionKey, filepath.Join(cfg.Database.DataDir, "keys", "kek"))
}
