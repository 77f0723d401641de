package auth

import "time"

// LockoutPolicy has two levels. Threshold failures against one account from one client (an
// IPv4 address or an IPv6 /64) lock that client out of that account; AccountThreshold failures
// from all clients together lock the account everywhere. The first is what stops guessing; the
// second, much higher, stops a distributed attack without letting one address lock the owner
// out. A client's failures while it is locked out do not count towards the account. Both locks
// last Duration; a count whose last failure is Duration old, or whose lock has run out, starts
// afresh.
type LockoutPolicy struct {
	Threshold        int
	AccountThreshold int
	Duration         time.Duration
}

// LockState is one count's bookkeeping.
type LockState struct {
	Failures    int
	LockedUntil *time.Time
}

// RetryAfter reports whether the count is locked at now and for how long.
func (p LockoutPolicy) RetryAfter(s LockState, now time.Time) (bool, time.Duration) {
	if s.LockedUntil != nil && now.Before(*s.LockedUntil) {
		return true, s.LockedUntil.Sub(now)
	}
	return false, 0
}

// lockStates are the two counts an attempt is subject to.
type lockStates struct {
	pair, account LockState
}

// retryAfter is how long until neither count is locked (0: not locked).
func (p LockoutPolicy) retryAfter(s lockStates, now time.Time) time.Duration {
	_, a := p.RetryAfter(s.pair, now)
	_, b := p.RetryAfter(s.account, now)
	return max(a, b)
}
