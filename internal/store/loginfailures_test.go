package store_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/internal/testutil/iamtest"
)

// The counting statements on real stores, one failure at a time: the rules of
// authn.LockoutPolicy, and each count exactly what authn.LockoutPolicy.Counted says.
func testFailureCounting(t *testing.T, e *iamtest.Env) {
	failures := e.Store.LoginFailures()
	policy := authn.LockoutPolicy{Threshold: 3, AccountThreshold: 5, Duration: 10 * time.Minute}
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	emails := map[string]string{}
	for _, email := range []string{iamtest.AdminEmail, "nobody@example.com", "pruned@example.com"} {
		emails[authn.AccountKey(email)] = email
	}
	// current reads what an attempt is subject to, as the other flows do, and checks that the
	// login's one read (the account with the counts) sees the same.
	current := func(k authn.LockKey) authn.Locks {
		t.Helper()
		l := get(failures.Current(ctx, k))(t)
		u, withUser, err := e.Store.Credentials().ForLogin(ctx, emails[k.Account], k)
		if err != nil || (u == nil) != (k.UserID == uuid.Nil) || !sameLock(withUser.Pair, l.Pair) || !sameLock(withUser.Account, l.Account) {
			t.Fatalf("the login reads %+v %+v %v, the counts are %+v", u, withUser, err, l)
		}
		if k.UserID != uuid.Nil {
			l.Account = authn.AccountLock(&get(e.Store.Credentials().Get(ctx, k.UserID))(t).User)
		}
		return l
	}

	for _, account := range []struct {
		name string
		key  authn.LockKey
	}{
		{"real account", authn.LockKey{Account: authn.AccountKey(iamtest.AdminEmail), Client: "192.0.2.1", UserID: e.AdminID}},
		{"unknown email", authn.LockKey{Account: authn.AccountKey("nobody@example.com"), Client: "192.0.2.1"}},
	} {
		k := account.key
		steps := []struct {
			name                 string
			minute               int
			pair, acct           int
			pairUntil, acctUntil int // minute the lock ends; 0: none
			pairLocked, acctLock bool
		}{
			{"first failure", 0, 1, 1, 0, 0, false, false},
			{"second", 1, 2, 2, 0, 0, false, false},
			{"threshold locks the address", 2, 3, 3, 12, 0, true, false},
			{"locked: the address counts on, the account does not", 3, 4, 3, 12, 0, false, false},
			{"again", 4, 5, 3, 12, 0, false, false},
			{"at expiry both start afresh (the account idled 10 min)", 12, 1, 1, 0, 0, false, false},
			{"", 13, 2, 2, 0, 0, false, false},
			{"idle for the duration: afresh", 23, 1, 1, 0, 0, false, false},
			{"", 24, 2, 2, 0, 0, false, false},
			{"", 25, 3, 3, 35, 0, true, false},
		}
		before := authn.Locks{}
		// The domain rule's view of the same counts: the last failure each one counted.
		var lastPair, lastAcct *time.Time
		for _, st := range steps {
			now := at(st.minute)
			wantPair := policy.Counted(before.Pair, lastPair, now, policy.Threshold)
			f, err := failures.Fail(ctx, k, before, policy, now)
			if err != nil {
				t.Fatalf("%s, %s: %v", account.name, st.name, err)
			}
			if f.After.Pair.Failures != st.pair || f.After.Account.Failures != st.acct || f.PairLocked != st.pairLocked ||
				f.AccountLocked != st.acctLock || !until(f.After.Pair, st.pairUntil, at) || !until(f.After.Account, st.acctUntil, at) {
				t.Fatalf("%s, minute %d %s: got pair %d until %v, account %d until %v, locked %v/%v", account.name, st.minute, st.name,
					f.After.Pair.Failures, f.After.Pair.LockedUntil, f.After.Account.Failures, f.After.Account.LockedUntil, f.PairLocked, f.AccountLocked)
			}
			if !sameLock(f.After.Pair, wantPair) {
				t.Fatalf("%s, %s: the statement counted the pair %+v, the rule says %+v", account.name, st.name, f.After.Pair, wantPair)
			}
			if f.AccountCounted {
				if want := policy.Counted(before.Account, lastAcct, now, policy.AccountThreshold); !sameLock(f.After.Account, want) {
					t.Fatalf("%s, %s: the statement counted the account %+v, the rule says %+v", account.name, st.name, f.After.Account, want)
				}
				lastAcct = &now
			}
			lastPair = &now
			before = f.After
			read := current(k)
			if read.Pair.Failures != st.pair || read.Account.Failures != st.acct {
				t.Fatalf("%s, %s: stored %+v", account.name, st.name, read)
			}
		}
		// Other addresses bring the account to its threshold, exactly once.
		for i, want := range []struct {
			acct int
			lock bool
		}{{4, false}, {5, true}, {6, false}} {
			other := k
			other.Client = "198.51.100." + string(rune('1'+i))
			f, err := failures.Fail(ctx, other, authn.Locks{Account: before.Account}, policy, at(26))
			if err != nil || f.After.Account.Failures != want.acct || f.AccountLocked != want.lock || !until(f.After.Account, 36*boolInt(want.acct >= 5), at) {
				t.Fatalf("%s, address %d: %+v %v", account.name, i, f, err)
			}
			before.Account = f.After.Account
		}
		// A threshold lowered below a count locks at the next failure, and says so once.
		k.Client = "203.0.113.9"
		for range 3 {
			if _, err := failures.Fail(ctx, k, authn.Locks{}, authn.LockoutPolicy{Threshold: 10, AccountThreshold: 100, Duration: 10 * time.Minute}, at(27)); err != nil {
				t.Fatal(err)
			}
		}
		lowered := authn.LockoutPolicy{Threshold: 2, AccountThreshold: 100, Duration: 10 * time.Minute}
		for i, want := range []struct {
			n    int
			lock bool
		}{{2, true}, {3, false}} {
			f, err := failures.Fail(ctx, k, authn.Locks{}, lowered, at(28))
			if err != nil || f.After.Pair.Failures != want.n || f.PairLocked != want.lock || !until(f.After.Pair, 38, at) {
				t.Fatalf("%s, lowered threshold, failure %d: %+v %v", account.name, i+1, f, err)
			}
		}
		// Threshold 1: the very first failure locks.
		k.Client = "203.0.113.10"
		f, err := failures.Fail(ctx, k, authn.Locks{}, authn.LockoutPolicy{Threshold: 1, AccountThreshold: 100, Duration: 10 * time.Minute}, at(29))
		if err != nil || f.After.Pair.Failures != 1 || !f.PairLocked || !until(f.After.Pair, 39, at) {
			t.Fatalf("%s, threshold 1: %+v %v", account.name, f, err)
		}
	}

	// A success forgets the client's count against the account, and nobody else's.
	k := authn.LockKey{Account: authn.AccountKey("pruned@example.com"), Client: "192.0.2.7"}
	other := k
	other.Client = "192.0.2.8"
	for _, c := range []authn.LockKey{k, other} {
		get(failures.Fail(ctx, c, authn.Locks{}, policy, at(40)))(t)
	}
	if err := e.Store.Tx(t).LoginFailures().ClearPair(ctx, k); err != nil {
		t.Fatal(err)
	}
	if l := current(k); l.Pair.Failures != 0 || l.Account.Failures != 2 {
		t.Fatalf("after clearing the pair: %+v", l)
	}
	if l := current(other); l.Pair.Failures != 1 {
		t.Fatalf("another client's count was cleared: %+v", l)
	}
	// Pruning deletes the counts idle for the duration, and only those.
	if err := failures.Prune(ctx, at(40).Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	if l := current(other); l.Pair.Failures != 1 {
		t.Fatalf("a fresh count was pruned: %+v", l)
	}
	if err := failures.Prune(ctx, at(40)); err != nil {
		t.Fatal(err)
	}
	if l := current(other); l.Pair.Failures != 0 || l.Account.Failures != 0 {
		t.Fatalf("an idle count survived pruning: %+v", l)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// until reports whether s is locked until minute m (0: not locked).
func until(s authn.LockState, m int, at func(int) time.Time) bool {
	if m == 0 {
		return s.LockedUntil == nil
	}
	return s.LockedUntil != nil && s.LockedUntil.Sub(at(m)).Abs() < time.Millisecond
}

func sameLock(a, b authn.LockState) bool {
	if a.Failures != b.Failures || (a.LockedUntil == nil) != (b.LockedUntil == nil) {
		return false
	}
	return a.LockedUntil == nil || a.LockedUntil.Sub(*b.LockedUntil).Abs() < time.Millisecond
}
