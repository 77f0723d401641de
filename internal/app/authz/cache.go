package authz

import (
	"sync"
	"time"

	"github.com/google/uuid"
)

// subjectCache holds compiled subjects. Invalidation is event driven and immediate; the TTL is
// a safety net (and bounds staleness from other replicas' changes).
type subjectCache struct {
	mu  sync.RWMutex
	ttl time.Duration
	m   map[uuid.UUID]*compiledSubject
	// gen advances on every invalidation so a load racing an invalidation is not stored.
	gen uint64
}

func newSubjectCache(ttl time.Duration) *subjectCache {
	return &subjectCache{ttl: ttl, m: map[uuid.UUID]*compiledSubject{}}
}

func (c *subjectCache) get(id uuid.UUID, now time.Time) (*compiledSubject, uint64, bool) {
	c.mu.RLock()
	s, ok := c.m[id]
	gen := c.gen
	c.mu.RUnlock()
	if ok && now.Sub(s.loadedAt) < c.ttl {
		return s, gen, true
	}
	return nil, gen, false
}

func (c *subjectCache) put(id uuid.UUID, s *compiledSubject, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if len(c.m) >= 100_000 {
		clear(c.m)
	}
	c.m[id] = s
}

func (c *subjectCache) invalidate(id uuid.UUID) {
	c.mu.Lock()
	c.gen++
	delete(c.m, id)
	c.mu.Unlock()
}

func (c *subjectCache) invalidateAll() {
	c.mu.Lock()
	c.gen++
	clear(c.m)
	c.mu.Unlock()
}

// workspaceCache maps workspaces to their (immutable) organization.
type workspaceCache struct {
	mu sync.RWMutex
	m  map[uuid.UUID]uuid.UUID
}

func newWorkspaceCache() *workspaceCache { return &workspaceCache{m: map[uuid.UUID]uuid.UUID{}} }

func (c *workspaceCache) get(id uuid.UUID) (uuid.UUID, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	org, ok := c.m[id]
	return org, ok
}

func (c *workspaceCache) put(id, org uuid.UUID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= 100_000 {
		clear(c.m)
	}
	c.m[id] = org
}

func (c *workspaceCache) drop(id uuid.UUID) {
	c.mu.Lock()
	delete(c.m, id)
	c.mu.Unlock()
}
