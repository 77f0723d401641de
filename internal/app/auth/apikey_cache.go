package auth

import (
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/crypto/apikey"
)

// keyCache holds verified API keys by the key's hash (ownedCache).
type keyCache = ownedCache[apikey.Digest, *keyState]

func newKeyCache(ttl time.Duration) *keyCache {
	return newOwnedCache[apikey.Digest, *keyState](ttl, 100_000)
}

func (s *keyState) owner() uuid.UUID  { return s.key.UserID }
func (s *keyState) loaded() time.Time { return s.loadedAt }
