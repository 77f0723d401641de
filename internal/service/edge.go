package service

import (
	"path/filepath"

	"github.com/telemetryflow/core/internal/auth/keys"
	"github.com/telemetryflow/core/internal/config"
	"github.com/telemetryflow/core/internal/contract"
	"github.com/telemetryflow/core/internal/pagecursor"
)

// publicBodyBytes caps the bodies of public operations (login, refresh): their largest valid
// body (a 254-character email and a 1024-character password, every character escaped) is
// far below it, and an unauthenticated caller must not make the process hold megabytes.
const publicBodyBytes = 16 << 10

// bodyLimits caps a request body by its operation: public contract operations at
// publicBodyBytes (or max, if lower), everything else at max.
func bodyLimits(ops []contract.Operation, max int) func(operation string) int64 {
	public := map[string]bool{}
	for _, op := range ops {
		if op.Public {
			public[op.ID] = true
		}
	}
	return func(operation string) int64 {
		if public[operation] {
			return int64(min(publicBodyBytes, max))
		}
		return int64(max)
	}
}

// cursorCodec seals page cursors with a key derived from the key-encryption key, which every
// replica sharing the database shares (buildAuth has already loaded or created it).
func cursorCodec(cfg *config.Config) (*pagecursor.Codec, error) {
	kek, err := keys.LoadKEK(cfg.Auth.KeyEncryptionKey, filepath.Join(cfg.Database.DataDir, "keys", "kek"))
	if err != nil {
		return nil, err
	}
	key, err := pagecursor.KeyFromKEK(kek)
	if err != nil {
		return nil, err
	}
	return pagecursor.New(key)
}
