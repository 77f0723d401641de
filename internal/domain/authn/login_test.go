package authn_test

import (
	"testing"
	"time"

	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/internal/domain/iam"
)

func TestDecide(t *testing.T) {
	t.Parallel()
	p := authn.LockoutPolicy{Threshold: 3, AccountThreshold: 5, Duration: 10 * time.Minute}
	active := &iam.User{Status: iam.StatusActive}
	locked := authn.Locks{Pair: authn.LockState{Failures: 3, LockedUntil: atp(5)}}
	for _, tc := range []struct {
		name string
		a    authn.Attempt
		want authn.Verdict
	}{
		{"success", authn.Attempt{User: active, HierarchyActive: true, PasswordMatches: true}, authn.Verdict{}},
		{"unknown email", authn.Attempt{}, authn.Verdict{Reason: authn.ReasonUnknownAccount, CountFailure: true}},
		{"unknown email, locked", authn.Attempt{Locks: locked}, authn.Verdict{Reason: authn.ReasonUnknownAccount, CountFailure: true, Locked: true}},
		{"bad password", authn.Attempt{User: active, HierarchyActive: true}, authn.Verdict{Reason: authn.ReasonBadPassword, CountFailure: true}},
		{"bad password, locked", authn.Attempt{User: active, Locks: locked}, authn.Verdict{Reason: authn.ReasonLocked, CountFailure: true, Locked: true}},
		{"right password, locked", authn.Attempt{User: active, HierarchyActive: true, PasswordMatches: true, Locks: locked},
			authn.Verdict{Reason: authn.ReasonLocked, Locked: true, RetryAfter: 5 * time.Minute}},
		{"locked before inactive", authn.Attempt{User: &iam.User{Status: iam.StatusInactive}, PasswordMatches: true, Locks: locked},
			authn.Verdict{Reason: authn.ReasonLocked, Locked: true, RetryAfter: 5 * time.Minute}},
		{"inactive", authn.Attempt{User: &iam.User{Status: iam.StatusInactive}, HierarchyActive: true, PasswordMatches: true},
			authn.Verdict{Reason: "account_inactive"}},
		{"created", authn.Attempt{User: &iam.User{Status: iam.StatusCreated}, HierarchyActive: true, PasswordMatches: true},
			authn.Verdict{Reason: "account_created"}},
		{"inactive before organization", authn.Attempt{User: &iam.User{Status: iam.StatusInactive}, PasswordMatches: true},
			authn.Verdict{Reason: "account_inactive"}},
		{"organization inactive", authn.Attempt{User: active, PasswordMatches: true}, authn.Verdict{Reason: authn.ReasonOrganizationInactive}},
		{"an expired lock is no lock", authn.Attempt{User: active, HierarchyActive: true, PasswordMatches: true,
			Locks: authn.Locks{Account: authn.LockState{Failures: 5, LockedUntil: atp(0)}}}, authn.Verdict{}},
	} {
		if got := p.Decide(tc.a, at(0)); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}
