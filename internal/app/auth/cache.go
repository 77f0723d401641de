package auth

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/crypto/accesstoken"
	"github.com/telemetryflow/core/internal/platform/principal"
)

// sessionState is what verification needs to know about a session, cached per session id.
type sessionState struct {
	principal *principal.Principal
	userID    uuid.UUID
	usable    bool // session not revoked and user live and active
	placed    bool // the user's organization, tenant and region all active and live
	expiresAt time.Time
	loadedAt  time.Time
	// lastSeen is the session's last_seen_at as this instance last wrote or read it (unix
	// nanoseconds): a request writes it again only when it is older than authn.LastSeenEvery.
	lastSeen atomic.Int64
}

// sessionCache holds verified sessions by id (ownedCache): dropped at once on logout,
// deactivation, deletion and password change.
type sessionCache = ownedCache[uuid.UUID, *sessionState]

func newSessionCache(ttl time.Duration) *sessionCache {
	return newOwnedCache[uuid.UUID, *sessionState](ttl, 200_000)
}

func (s *sessionState) owner() uuid.UUID  { return s.userID }
func (s *sessionState) loaded() time.Time { return s.loadedAt }

// tokenCache remembers tokens whose signature and claims already verified, so a client that
// reuses its token pays for a map lookup instead of an Ed25519 verification. Keyed by the
// exact token string: a changed byte is a different key and gets fully verified.
type tokenCache struct {
	mu  sync.RWMutex
	max int
	m   map[string]accesstoken.Verified
}

func newTokenCache(max int) *tokenCache {
	return &tokenCache{max: max, m: map[string]accesstoken.Verified{}}
}

func (c *tokenCache) get(raw string) (accesstoken.Verified, bool) {
	c.mu.RLock()
	v, ok := c.m[raw]
	c.mu.RUnlock()
	return v, ok
}

func (c *tokenCache) put(raw string, v accesstoken.Verified) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		clear(c.m) // bounded memory; the next requests simply verify again
	}
	c.m[raw] = v
}

func (c *tokenCache) drop(raw string) {
	c.mu.Lock()
	delete(c.m, raw)
	c.mu.Unlock()
}
