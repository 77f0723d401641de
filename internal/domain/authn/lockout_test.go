package authn_test

import (
	"testing"
	"time"

	"github.com/telemetryflow/core/internal/domain/authn"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func at(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }

func atp(m int) *time.Time { v := at(m); return &v }

func TestLockoutPolicyValidate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		p    authn.LockoutPolicy
		ok   bool
	}{
		{"usual", authn.LockoutPolicy{Threshold: 5, AccountThreshold: 50, Duration: time.Minute}, true},
		{"equal thresholds", authn.LockoutPolicy{Threshold: 5, AccountThreshold: 5, Duration: time.Minute}, true},
		{"account below address", authn.LockoutPolicy{Threshold: 5, AccountThreshold: 4, Duration: time.Minute}, false},
		{"zero threshold", authn.LockoutPolicy{Threshold: 0, AccountThreshold: 4, Duration: time.Minute}, false},
		{"no duration", authn.LockoutPolicy{Threshold: 1, AccountThreshold: 4}, false},
	} {
		if err := tc.p.Validate(); (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

func TestWaitIsTheLongerLock(t *testing.T) {
	t.Parallel()
	p := authn.LockoutPolicy{Threshold: 3, AccountThreshold: 5, Duration: 10 * time.Minute}
	for _, tc := range []struct {
		name string
		l    authn.Locks
		want time.Duration
	}{
		{"none", authn.Locks{}, 0},
		{"pair", authn.Locks{Pair: authn.LockState{LockedUntil: atp(4)}}, 4 * time.Minute},
		{"account", authn.Locks{Account: authn.LockState{LockedUntil: atp(7)}}, 7 * time.Minute},
		{"both", authn.Locks{Pair: authn.LockState{LockedUntil: atp(9)}, Account: authn.LockState{LockedUntil: atp(7)}}, 9 * time.Minute},
		{"ran out", authn.Locks{Pair: authn.LockState{LockedUntil: atp(0)}}, 0},
	} {
		if got := p.Wait(tc.l, at(0)); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// The transition of one count, failure by failure: the rule the store's atomic statements
// implement (its contract test runs the same table against both dialects).
func TestCounted(t *testing.T) {
	t.Parallel()
	p := authn.LockoutPolicy{Threshold: 3, AccountThreshold: 5, Duration: 10 * time.Minute}
	for _, tc := range []struct {
		name      string
		s         authn.LockState
		last      *time.Time
		now       int
		threshold int
		want      int
		until     int // minute the lock ends; -1: none
	}{
		{"first failure", authn.LockState{}, nil, 0, 3, 1, -1},
		{"second", authn.LockState{Failures: 1}, atp(0), 1, 3, 2, -1},
		{"threshold starts the lock", authn.LockState{Failures: 2}, atp(1), 2, 3, 3, 12},
		{"locked: counts on, lock unchanged", authn.LockState{Failures: 3, LockedUntil: atp(12)}, atp(2), 3, 3, 4, 12},
		{"lock ran out: afresh", authn.LockState{Failures: 5, LockedUntil: atp(12)}, atp(4), 12, 3, 1, -1},
		{"idle for the duration: afresh", authn.LockState{Failures: 2}, atp(13), 23, 3, 1, -1},
		{"idle just short of it: counts", authn.LockState{Failures: 1}, atp(14), 23, 3, 2, -1},
		{"lowered threshold: clamped and locked", authn.LockState{Failures: 3}, atp(27), 28, 2, 2, 38},
		{"threshold 1: the first failure locks", authn.LockState{}, nil, 29, 1, 1, 39},
		{"threshold 1 after a run-out lock", authn.LockState{Failures: 1, LockedUntil: atp(29)}, atp(29), 39, 1, 1, 49},
	} {
		got := p.Counted(tc.s, tc.last, at(tc.now), tc.threshold)
		lockOK := (tc.until < 0 && got.LockedUntil == nil) || (tc.until >= 0 && got.LockedUntil != nil && got.LockedUntil.Equal(at(tc.until)))
		if got.Failures != tc.want || !lockOK {
			t.Errorf("%s: %d until %v, want %d until minute %d", tc.name, got.Failures, got.LockedUntil, tc.want, tc.until)
		}
	}
}

func TestWhoseFailuresCountTowardsTheAccount(t *testing.T) {
	t.Parallel()
	p := authn.LockoutPolicy{Threshold: 3, AccountThreshold: 5, Duration: time.Minute}
	for failures, want := range map[int]bool{1: true, 3: true, 4: false} {
		if got := p.CountsTowardsAccount(authn.LockState{Failures: failures}); got != want {
			t.Errorf("pair at %d: %v", failures, got)
		}
	}
	if !authn.LockStarted(authn.LockState{Failures: 3}, 3) || authn.LockStarted(authn.LockState{Failures: 4}, 3) {
		t.Error("only the failure that reaches the threshold starts the lock")
	}
}

func TestAccountKeyIsCanonical(t *testing.T) {
	t.Parallel()
	if authn.AccountKey(" Ada@Example.COM ") != authn.AccountKey("ada@example.com") {
		t.Error("the account key depends on case or spaces")
	}
	if k := authn.AccountKey("ada@example.com"); len(k) != 64 || k == authn.AccountKey("bob@example.com") {
		t.Errorf("key %q", k)
	}
}
