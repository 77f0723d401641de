package authn

import (
	"time"

	"github.com/telemetryflow/core/internal/domain/iam"
)

// Reasons a login is refused, as the AUTH audit event's error_message names them. The caller
// always gets the same invalid_credentials answer, whatever the reason.
const (
	ReasonUnknownAccount       = "unknown_account"
	ReasonBadPassword          = "bad_password"
	ReasonLocked               = "account_locked"
	ReasonOrganizationInactive = "organization_inactive"
	// An account that is not active is refused as "account_" + its status.
	reasonAccountPrefix = "account_"
)

// Attempt is a login attempt once its password has been checked.
type Attempt struct {
	User            *iam.User // nil: no live account has the email
	HierarchyActive bool      // the user's organization, tenant and region are active and live
	PasswordMatches bool
	Locks           Locks // the counts before the attempt
}

// Verdict is what an attempt comes to. An empty Reason lets the login proceed.
type Verdict struct {
	Reason string
	// CountFailure: a wrong password, or any password for an unknown email, is counted
	// (locked or not) exactly the same way, so lockout tells nothing about which accounts exist.
	CountFailure bool
	// Locked: a lock was in force before the attempt.
	Locked bool
	// RetryAfter is set when the right password meets a lock: the caller may say when to retry.
	RetryAfter time.Duration
}

// Decide is the one rule of who may log in: the right password, no lock in force, an active
// account, and an active organization, tenant and region — checked in this order, so a locked
// account says nothing about its status.
func (p LockoutPolicy) Decide(a Attempt, now time.Time) Verdict {
	wait := p.Wait(a.Locks, now)
	switch {
	case !a.PasswordMatches && a.User == nil:
		return Verdict{Reason: ReasonUnknownAccount, CountFailure: true, Locked: wait > 0}
	case !a.PasswordMatches && wait > 0:
		return Verdict{Reason: ReasonLocked, CountFailure: true, Locked: true}
	case !a.PasswordMatches:
		return Verdict{Reason: ReasonBadPassword, CountFailure: true}
	case wait > 0:
		return Verdict{Reason: ReasonLocked, Locked: true, RetryAfter: wait}
	case !a.User.Status.CanLogIn():
		return Verdict{Reason: reasonAccountPrefix + string(a.User.Status)}
	case !a.HierarchyActive:
		return Verdict{Reason: ReasonOrganizationInactive}
	}
	return Verdict{}
}
