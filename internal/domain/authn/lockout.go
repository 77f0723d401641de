// Package authn holds the pure rules of authentication: the lockout policy and how a failure
// count moves, whether a login with the right password may proceed, when a session and a
// refresh token still grant access, and the refresh-token format. It knows nothing of SQL,
// HTTP or the clock (every rule takes now).
package authn

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/iam"
)

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

// Validate checks the policy is usable.
func (p LockoutPolicy) Validate() error {
	if p.Threshold < 1 || p.Duration <= 0 {
		return errors.New("lockout threshold and duration must be positive")
	}
	if p.AccountThreshold < p.Threshold {
		return errors.New("the account-wide lockout threshold must not be below the per-address one")
	}
	return nil
}

// LockState is one count's bookkeeping.
type LockState struct {
	Failures    int
	LockedUntil *time.Time
}

// IsZero reports whether nothing is counted (no failure, no lock).
func (s LockState) IsZero() bool { return s.Failures == 0 && s.LockedUntil == nil }

// RetryAfter reports whether the count is locked at now and for how long.
func (p LockoutPolicy) RetryAfter(s LockState, now time.Time) (bool, time.Duration) {
	if s.LockedUntil != nil && now.Before(*s.LockedUntil) {
		return true, s.LockedUntil.Sub(now)
	}
	return false, 0
}

// Locks are the two counts an attempt is subject to: its client's against the account, and
// the account-wide one.
type Locks struct {
	Pair, Account LockState
}

// Wait is how long until neither count is locked (0: not locked).
func (p LockoutPolicy) Wait(l Locks, now time.Time) time.Duration {
	_, a := p.RetryAfter(l.Pair, now)
	_, b := p.RetryAfter(l.Account, now)
	return max(a, b)
}

// AccountLock is the account-wide count a real account keeps on its user row.
func AccountLock(u *iam.User) LockState {
	return LockState{Failures: u.FailedLoginCount, LockedUntil: u.LockedUntil}
}

// Window is what counting a failure at now compares with: a count whose last failure is at or
// before cutoff starts afresh, and a lock that starts now lasts until until.
func (p LockoutPolicy) Window(now time.Time) (cutoff, until time.Time) {
	return now.Add(-p.Duration), now.Add(p.Duration)
}

// Counted is the count after one more failure at now, for a count s whose last failure was at
// last (nil: none yet) and whose threshold is threshold. A locked count goes on counting; a
// count whose lock ran out, or whose last failure is at or before the cutoff, starts at 1;
// reaching the threshold starts a lock for Duration. A count above the threshold without a
// lock (the threshold was lowered) is clamped to it, so "the count equals the threshold" marks
// the one failure that started the lock. The store counts with one atomic statement per count
// that implements exactly this (internal/store/loginfailures.go; its contract test compares).
func (p LockoutPolicy) Counted(s LockState, last *time.Time, now time.Time, threshold int) LockState {
	cutoff, until := p.Window(now)
	switch {
	case s.LockedUntil != nil && s.LockedUntil.After(now):
		return LockState{Failures: s.Failures + 1, LockedUntil: s.LockedUntil}
	case s.LockedUntil != nil || last == nil || !last.After(cutoff):
		if threshold <= 1 {
			return LockState{Failures: 1, LockedUntil: &until}
		}
		return LockState{Failures: 1}
	case s.Failures+1 >= threshold:
		return LockState{Failures: min(s.Failures+1, threshold), LockedUntil: &until}
	default:
		return LockState{Failures: s.Failures + 1}
	}
}

// LockStarted reports whether the count after a failure is the one that started its lock.
func LockStarted(after LockState, threshold int) bool { return after.Failures == threshold }

// CountsTowardsAccount reports whether a failure whose pair count is now after also counts
// against the account: only while the pair was not locked before it, so one client
// contributes at most Threshold failures per lock period to the account-wide count.
func (p LockoutPolicy) CountsTowardsAccount(pairAfter LockState) bool {
	return pairAfter.Failures <= p.Threshold
}

// Failure is the outcome of counting one failure.
type Failure struct {
	After                     Locks
	PairLocked, AccountLocked bool // this failure started the lock
	// AccountCounted is false when the client was already locked out: the account count is
	// unchanged.
	AccountCounted bool
}

// LockKey is what a login attempt counts against.
type LockKey struct {
	Account string    // AccountKey(email): the same whether or not the account exists
	Client  string    // reqinfo.ClientKey: an IPv4 address or an IPv6 /64
	UserID  uuid.UUID // uuid.Nil when no account has the email (phantom lockout)
}

// AccountWide is the client of a phantom account's account-wide count.
const AccountWide = "*"

// AccountKey is the hex SHA-256 of the canonical email: unknown emails are counted under the
// same kind of key as real ones, and the table holds no addresses in clear.
func AccountKey(email string) string {
	sum := sha256.Sum256([]byte(iam.CanonicalEmail(email)))
	return hex.EncodeToString(sum[:])
}
