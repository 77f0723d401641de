package auth

import (
	"crypto/sha256"
	"sync"
	"time"
)

// phantomLocks applies the lockout policy to emails that have no account, so that lockout
// behaviour (including Retry-After) cannot be used to learn which emails exist.
type phantomLocks struct {
	mu      sync.Mutex
	policy  LockoutPolicy
	states  map[[32]byte]LockState
	maxKeys int
}

func newPhantomLocks(p LockoutPolicy) *phantomLocks {
	return &phantomLocks{policy: p, states: map[[32]byte]LockState{}, maxKeys: 100_000}
}

// Fail records a failed attempt for email and returns the state afterwards.
func (p *phantomLocks) Fail(email string, now time.Time) (LockState, bool) {
	k := sha256.Sum256([]byte(email))
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.states) >= p.maxKeys {
		for key, s := range p.states {
			if locked, _ := p.policy.RetryAfter(s, now); !locked {
				delete(p.states, key)
			}
		}
		if len(p.states) >= p.maxKeys {
			clear(p.states)
		}
	}
	next, just := p.policy.AfterFailure(p.states[k], now)
	p.states[k] = next
	return next, just
}

// State returns the current bookkeeping for email.
func (p *phantomLocks) State(email string) LockState {
	k := sha256.Sum256([]byte(email))
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.states[k]
}
