package auth

import (
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/crypto/apikey"
)

// keyCache answers "is this API key still good" without a database round trip, keyed by the
// key's hash (the token itself is never kept). Like sessionCache: entries are dropped at once
// on revocation and on every change to the owner (by user, or all), the TTL only bounds how
// long a change made by another replica without the Redis bus goes unseen, and a load that
// started before an invalidation is not stored (gen).
type keyCache struct {
	mu     sync.RWMutex
	ttl    time.Duration
	byHash map[apikey.Digest]*keyState
	byUser map[uuid.UUID]map[apikey.Digest]struct{}
	gen    uint64
}

func newKeyCache(ttl time.Duration) *keyCache {
	return &keyCache{ttl: ttl, byHash: map[apikey.Digest]*keyState{}, byUser: map[uuid.UUID]map[apikey.Digest]struct{}{}}
}

func (c *keyCache) get(d apikey.Digest, now time.Time) (*keyState, uint64, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	s, ok := c.byHash[d]
	if ok && c.ttl > 0 && now.Sub(s.loadedAt) < c.ttl {
		return s, c.gen, true
	}
	return nil, c.gen, false
}

func (c *keyCache) put(d apikey.Digest, s *keyState, gen uint64) {
	if c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if len(c.byHash) >= 100_000 {
		clear(c.byHash)
		clear(c.byUser)
	}
	c.byHash[d] = s
	set := c.byUser[s.key.UserID]
	if set == nil {
		set = map[apikey.Digest]struct{}{}
		c.byUser[s.key.UserID] = set
	}
	set[d] = struct{}{}
}

func (c *keyCache) invalidateUser(uid uuid.UUID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for d := range c.byUser[uid] {
		delete(c.byHash, d)
	}
	delete(c.byUser, uid)
}

func (c *keyCache) invalidateAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.byHash)
	clear(c.byUser)
}
