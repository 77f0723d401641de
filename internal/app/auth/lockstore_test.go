package auth

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/ent/user"
	"github.com/telemetryflow/core/internal/crypto/argon2"
	"github.com/telemetryflow/core/internal/platform/sqldb"
	"github.com/telemetryflow/core/internal/store/seed"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
)

// The counting statements on real stores, one failure at a time: the rules of LockoutPolicy.
func TestFailureCounting(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		h, err := argon2.New(argon2.Config{MemoryKiB: 8 * 1024, Iterations: 1, Parallelism: 1})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := seed.Run(ctx, db.Ent, seed.Config{AdminEmail: "a@example.com", AdminPassword: "a-long-password", Hasher: h,
			GeneratePassword: argon2.Generate}); err != nil {
			t.Fatal(err)
		}
		admin := db.Ent.User.Query().Where(user.EmailEQ("a@example.com")).OnlyX(ctx)
		policy := LockoutPolicy{Threshold: 3, AccountThreshold: 5, Duration: 10 * time.Minute}
		t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }

		for _, account := range []struct {
			name string
			key  lockKey
		}{
			{"real account", lockKey{account: accountKey("a@example.com"), client: "192.0.2.1", userID: admin.ID}},
			{"unknown email", lockKey{account: accountKey("nobody@example.com"), client: "192.0.2.1"}},
		} {
			locks := newLockStore(db.Ent, db.Dialect, policy, nil)
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
			before := lockStates{}
			for _, st := range steps {
				f, err := locks.fail(ctx, k, before, at(st.minute))
				if err != nil {
					t.Fatalf("%s, %s: %v", account.name, st.name, err)
				}
				if f.after.pair.Failures != st.pair || f.after.account.Failures != st.acct || f.pairLocked != st.pairLocked ||
					f.accountLocked != st.acctLock || !until(f.after.pair, st.pairUntil, at) || !until(f.after.account, st.acctUntil, at) {
					t.Fatalf("%s, minute %d %s: got pair %d until %v, account %d until %v, locked %v/%v", account.name, st.minute, st.name,
						f.after.pair.Failures, f.after.pair.LockedUntil, f.after.account.Failures, f.after.account.LockedUntil, f.pairLocked, f.accountLocked)
				}
				before = f.after
				var u *ent.User
				if k.userID != uuid.Nil {
					u = db.Ent.User.GetX(ctx, k.userID)
				}
				read, err := locks.current(ctx, k, u)
				if err != nil || read.pair.Failures != st.pair || read.account.Failures != st.acct {
					t.Fatalf("%s, %s: stored %+v %v", account.name, st.name, read, err)
				}
			}
			// Other addresses bring the account to its threshold, exactly once.
			for i, want := range []struct {
				acct int
				lock bool
			}{{4, false}, {5, true}, {6, false}} {
				other := k
				other.client = "198.51.100." + string(rune('1'+i))
				f, err := locks.fail(ctx, other, lockStates{account: before.account}, at(26))
				if err != nil || f.after.account.Failures != want.acct || f.accountLocked != want.lock || !until(f.after.account, 36*boolInt(want.acct >= 5), at) {
					t.Fatalf("%s, address %d: %+v %v", account.name, i, f, err)
				}
				before.account = f.after.account
			}
			// A threshold lowered below a count locks at the next failure, and says so once.
			k.client = "203.0.113.9"
			for range 3 {
				if _, err := newLockStore(db.Ent, db.Dialect, LockoutPolicy{Threshold: 10, AccountThreshold: 100, Duration: 10 * time.Minute}, nil).
					fail(ctx, k, lockStates{}, at(27)); err != nil {
					t.Fatal(err)
				}
			}
			lowered := newLockStore(db.Ent, db.Dialect, LockoutPolicy{Threshold: 2, AccountThreshold: 100, Duration: 10 * time.Minute}, nil)
			for i, want := range []struct {
				n    int
				lock bool
			}{{2, true}, {3, false}} {
				f, err := lowered.fail(ctx, k, lockStates{}, at(28))
				if err != nil || f.after.pair.Failures != want.n || f.pairLocked != want.lock || !until(f.after.pair, 38, at) {
					t.Fatalf("%s, lowered threshold, failure %d: %+v %v", account.name, i+1, f, err)
				}
			}
			// Threshold 1: the very first failure locks.
			k.client = "203.0.113.10"
			f, err := newLockStore(db.Ent, db.Dialect, LockoutPolicy{Threshold: 1, AccountThreshold: 100, Duration: 10 * time.Minute}, nil).
				fail(ctx, k, lockStates{}, at(29))
			if err != nil || f.after.pair.Failures != 1 || !f.pairLocked || !until(f.after.pair, 39, at) {
				t.Fatalf("%s, threshold 1: %+v %v", account.name, f, err)
			}
		}
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// until reports whether s is locked until minute m (0: not locked).
func until(s LockState, m int, at func(int) time.Time) bool {
	if m == 0 {
		return s.LockedUntil == nil
	}
	return s.LockedUntil != nil && s.LockedUntil.Sub(at(m)).Abs() < time.Millisecond
}
