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

// sessionCache answers "is this session still good" without a database round trip. Entries are
// dropped at once on logout, deactivation, deletion and password change (by session or by
// user); the TTL only bounds how long a change made by another replica goes unseen.
type sessionCache struct {
	mu     sync.RWMutex
	ttl    time.Duration
	bySID  map[uuid.UUID]*sessionState
	byUser map[uuid.UUID]map[uuid.UUID]struct{}
	// gen advances on every invalidation; a load that started before it is not stored, so an
	// invalidation racing a database read can never be undone by the read's stale result.
	gen uint64
}

func newSessionCache(ttl time.Duration) *sessionCache {
	return &sessionCache{ttl: ttl, bySID: map[uuid.UUID]*sessionState{}, byUser: map[uuid.UUID]map[uuid.UUID]struct{}{}}
}

func (c *sessionCache) get(sid uuid.UUID, now time.Time) (*sessionState, uint64, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	s, ok := c.bySID[sid]
	if ok && c.ttl > 0 && now.Sub(s.loadedAt) < c.ttl {
		return s, c.gen, true
	}
	return nil, c.gen, false
}

func (c *sessionCache) put(sid uuid.UUID, s *sessionState, gen uint64) {
	if c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if len(c.bySID) >= 200_000 {
		clear(c.bySID)
		clear(c.byUser)
	}
	c.bySID[sid] = s
	set := c.byUser[s.userID]
	if set == nil {
		set = map[uuid.UUID]struct{}{}
		c.byUser[s.userID] = set
	}
	set[sid] = struct{}{}
}

func (c *sessionCache) invalidate(sid uuid.UUID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	if s, ok := c.bySID[sid]; ok {
		delete(c.byUser[s.userID], sid)
		delete(c.bySID, sid)
	}
}

func (c *sessionCache) invalidateAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.bySID)
	clear(c.byUser)
}

func (c *sessionCache) invalidateUser(uid uuid.UUID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for sid := range c.byUser[uid] {
		delete(c.bySID, sid)
	}
	delete(c.byUser, uid)
}

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
