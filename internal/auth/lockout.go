package auth

import "time"

// LockoutPolicy locks an account after Threshold consecutive failures for Duration.
type LockoutPolicy struct {
	Threshold int
	Duration  time.Duration
}

// LockState is an account's failure bookkeeping.
type LockState struct {
	Failures    int
	LockedUntil *time.Time
}

// RetryAfter reports whether the account is locked at now and for how long.
func (p LockoutPolicy) RetryAfter(s LockState, now time.Time) (bool, time.Duration) {
	if s.LockedUntil != nil && now.Before(*s.LockedUntil) {
		return true, s.LockedUntil.Sub(now)
	}
	return false, 0
}

// AfterFailure counts one more failure; justLocked is true when this failure starts a lock.
// A lock that has run out starts a fresh count, so one failure after expiry does not re-lock.
func (p LockoutPolicy) AfterFailure(s LockState, now time.Time) (next LockState, justLocked bool) {
	if locked, _ := p.RetryAfter(s, now); locked {
		return s, false
	}
	failures := s.Failures
	if s.LockedUntil != nil { // an expired lock
		failures = 0
	}
	failures++
	if failures >= p.Threshold {
		until := now.Add(p.Duration)
		return LockState{Failures: failures, LockedUntil: &until}, true
	}
	return LockState{Failures: failures}, false
}
