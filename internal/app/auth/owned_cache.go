package auth

import (
	"sync"
	"time"

	"github.com/google/uuid"
)

// cachedState is what an ownedCache holds: a credential's verified state, owned by a user
// and stamped with when it was read.
type cachedState interface {
	owner() uuid.UUID
	loaded() time.Time
}

// ownedCache answers "is this credential still good" without a database round trip, for
// sessions (by id) and API keys (by hash; the token itself is never kept). Entries are dropped
// at once on revocation and on every change to their owner (by user, or all); the TTL only
// bounds how long a change made by another replica without the Redis bus goes unseen.
type ownedCache[K comparable, V cachedState] struct {
	mu     sync.RWMutex
	ttl    time.Duration
	max    int
	byKey  map[K]V
	byUser map[uuid.UUID]map[K]struct{}
	// gen advances on every invalidation; a load that started before it is not stored, so an
	// invalidation racing a database read can never be undone by the read's stale result.
	gen uint64
}

func newOwnedCache[K comparable, V cachedState](ttl time.Duration, max int) *ownedCache[K, V] {
	return &ownedCache[K, V]{ttl: ttl, max: max, byKey: map[K]V{}, byUser: map[uuid.UUID]map[K]struct{}{}}
}

func (c *ownedCache[K, V]) get(k K, now time.Time) (V, uint64, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	s, ok := c.byKey[k]
	if ok && c.ttl > 0 && now.Sub(s.loaded()) < c.ttl {
		return s, c.gen, true
	}
	var zero V
	return zero, c.gen, false
}

func (c *ownedCache[K, V]) put(k K, s V, gen uint64) {
	if c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if len(c.byKey) >= c.max {
		clear(c.byKey) // bounded memory; the next requests simply read again
		clear(c.byUser)
	}
	c.byKey[k] = s
	set := c.byUser[s.owner()]
	if set == nil {
		set = map[K]struct{}{}
		c.byUser[s.owner()] = set
	}
	set[k] = struct{}{}
}

func (c *ownedCache[K, V]) invalidate(k K) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	if s, ok := c.byKey[k]; ok {
		delete(c.byUser[s.owner()], k)
		delete(c.byKey, k)
	}
}

func (c *ownedCache[K, V]) invalidateUser(uid uuid.UUID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for k := range c.byUser[uid] {
		delete(c.byKey, k)
	}
	delete(c.byUser, uid)
}

func (c *ownedCache[K, V]) invalidateAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.byKey)
	clear(c.byUser)
}
