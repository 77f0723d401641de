package auth

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/crypto/apikey"
	"github.com/telemetryflow/core/internal/domain/authn"
)

func TestKeyCache(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	owner, other := uuid.New(), uuid.New()
	d1, d2, d3 := apikey.Digest{1}, apikey.Digest{2}, apikey.Digest{3}
	state := func(user uuid.UUID) *keyState {
		return &keyState{key: authn.APIKey{UserID: user}, loadedAt: now}
	}
	c := newKeyCache(time.Minute)
	_, gen, _ := c.get(d1, now)
	c.put(d1, state(owner), gen)
	c.put(d2, state(owner), gen)
	c.put(d3, state(other), gen)
	if _, _, ok := c.get(d1, now.Add(59*time.Second)); !ok {
		t.Fatal("fresh entry missed")
	}
	if _, _, ok := c.get(d1, now.Add(time.Minute)); ok {
		t.Fatal("entry outlived its TTL")
	}

	// Dropping the owner drops both of their keys and nobody else's.
	c.invalidateUser(owner)
	for _, d := range []apikey.Digest{d1, d2} {
		if _, _, ok := c.get(d, now); ok {
			t.Fatal("the owner's key survived the invalidation")
		}
	}
	if _, _, ok := c.get(d3, now); !ok {
		t.Fatal("another user's key was dropped")
	}

	// A load that began before an invalidation is not stored: it may be stale.
	_, before, _ := c.get(d1, now)
	c.invalidateUser(other)
	c.put(d1, state(owner), before)
	if _, _, ok := c.get(d1, now); ok {
		t.Fatal("a load older than the invalidation was stored")
	}
	_, gen, _ = c.get(d1, now)
	c.put(d1, state(owner), gen)
	c.invalidateAll()
	if _, _, ok := c.get(d1, now); ok {
		t.Fatal("invalidateAll kept a key")
	}

	// TTL 0 caches nothing.
	off := newKeyCache(0)
	off.put(d1, state(owner), 0)
	if _, _, ok := off.get(d1, now); ok {
		t.Fatal("a zero TTL cached")
	}
}
