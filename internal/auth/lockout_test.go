package auth

import (
	"testing"
	"time"
)

func TestLockoutPolicy(t *testing.T) {
	t.Parallel()
	p := LockoutPolicy{Threshold: 3, Duration: 15 * time.Minute}
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { v := t0.Add(d); return &v }
	cases := []struct {
		name       string
		state      LockState
		now        time.Time
		wantFail   int
		wantLocked bool
		justLocked bool
	}{
		{"first failure", LockState{}, t0, 1, false, false},
		{"below threshold", LockState{Failures: 1}, t0, 2, false, false},
		{"reaching threshold locks", LockState{Failures: 2}, t0, 3, true, true},
		{"failure while locked changes nothing", LockState{Failures: 3, LockedUntil: at(time.Minute)}, t0, 3, true, false},
		{"failure after expiry restarts the count", LockState{Failures: 3, LockedUntil: at(-time.Second)}, t0, 1, false, false},
		{"failure exactly at expiry restarts", LockState{Failures: 3, LockedUntil: at(0)}, t0, 1, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			next, just := p.AfterFailure(tc.state, tc.now)
			locked, _ := p.RetryAfter(next, tc.now)
			if next.Failures != tc.wantFail || locked != tc.wantLocked || just != tc.justLocked {
				t.Fatalf("got failures=%d locked=%v just=%v", next.Failures, locked, just)
			}
		})
	}
	locked, wait := p.RetryAfter(LockState{Failures: 3, LockedUntil: at(10 * time.Minute)}, t0)
	if !locked || wait != 10*time.Minute {
		t.Fatalf("RetryAfter = %v %v", locked, wait)
	}
}
