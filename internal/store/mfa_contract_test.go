package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/testutil/iamtest"
)

// The second factor's port on every dialect: each single-use step (a TOTP step, a recovery
// code, a challenge) is spent once even when concurrent transactions race for it (what makes a
// code single-use across replicas), and the factor shows on the account read.
func testMFA(t *testing.T, e *iamtest.Env) {
	u, _, _ := placedUser(t, e)
	m := e.Store.MFA()
	wantErr(t, errOf(m.TOTP(ctx, u.ID)), errs.KindNotFound, "totp_not_found", "")
	now := iam.Stamp(time.Now())
	put := func(secret string) bool {
		var put bool
		ok(t, e, func(tx port.Tx) (err error) {
			put, err = tx.MFA().PutPendingTOTP(ctx, authn.TOTPFactor{UserID: u.ID, SecretSealed: []byte(secret), CreatedAt: now})
			return err
		})
		return put
	}
	if !put("first") || !put("second") {
		t.Fatal("a pending factor is created and replaced")
	}
	if f := get(m.TOTP(ctx, u.ID))(t); string(f.SecretSealed) != "second" || f.Enabled() {
		t.Fatalf("pending %+v", f)
	}
	if get(e.Store.Credentials().Get(ctx, u.ID))(t).MFAEnabled {
		t.Fatal("a pending factor reads as enabled")
	}
	ok(t, e, func(tx port.Tx) error {
		if c, err := tx.MFA().ConfirmTOTP(ctx, u.ID, 100, now); err != nil || !c {
			t.Fatalf("confirm: %v %v", c, err)
		}
		return nil
	})
	if put("third") {
		t.Fatal("a confirmed factor was replaced")
	}
	if !get(e.Store.Credentials().Get(ctx, u.ID))(t).MFAEnabled {
		t.Fatal("the account read misses the factor")
	}

	// Racing spends: exactly one of N concurrent transactions wins each.
	race := func(what string, spend func(tx port.Tx) (bool, error)) {
		t.Helper()
		var (
			wg   sync.WaitGroup
			mu   sync.Mutex
			wins int
		)
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var won bool
				_ = e.Store.Do(ctx, func(_ context.Context, tx port.Tx) (err error) { won, err = spend(tx); return err })
				mu.Lock()
				if won {
					wins++
				}
				mu.Unlock()
			}()
		}
		wg.Wait()
		if wins != 1 {
			t.Fatalf("%s: %d winners", what, wins)
		}
	}
	race("step 101", func(tx port.Tx) (bool, error) { return tx.MFA().UseStep(ctx, u.ID, 101) })
	if used := get(m.TOTP(ctx, u.ID))(t).LastStep; used != 101 {
		t.Fatalf("last step %d", used)
	}
	ok(t, e, func(tx port.Tx) error {
		if again, err := tx.MFA().UseStep(ctx, u.ID, 100); err != nil || again {
			t.Fatalf("an older step after a newer one: %v %v", again, err)
		}
		return nil
	})

	_, hashes := authn.NewRecoveryCodes()
	ok(t, e, func(tx port.Tx) error { return tx.MFA().ReplaceRecoveryCodes(ctx, u.ID, hashes, now) })
	race("recovery code", func(tx port.Tx) (bool, error) { return tx.MFA().UseRecoveryCode(ctx, u.ID, hashes[2], now) })

	raw, hash, c := authn.OpenChallenge(u.ID, now)
	ok(t, e, func(tx port.Tx) error { return tx.MFA().OpenChallenge(ctx, c, hash) })
	if got := get(m.Challenge(ctx, authn.HashMFAToken(raw)))(t); got.ID != c.ID || got.UserID != u.ID || !got.Usable(now) {
		t.Fatalf("challenge %+v", got)
	}
	for range authn.ChallengeMaxFailures - 1 {
		if err := m.FailChallenge(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
	}
	race("challenge", func(tx port.Tx) (bool, error) { return tx.MFA().SpendChallenge(ctx, c.ID, now) })
	_, hash2, c2 := authn.OpenChallenge(u.ID, now)
	ok(t, e, func(tx port.Tx) error { return tx.MFA().OpenChallenge(ctx, c2, hash2) })
	for range authn.ChallengeMaxFailures {
		if err := m.FailChallenge(ctx, c2.ID); err != nil {
			t.Fatal(err)
		}
	}
	ok(t, e, func(tx port.Tx) error {
		if spent, err := tx.MFA().SpendChallenge(ctx, c2.ID, now); err != nil || spent {
			t.Fatalf("a challenge with 5 wrong codes was spent: %v %v", spent, err)
		}
		return nil
	})
	if err := m.PruneChallenges(ctx, now.Add(authn.ChallengeTTL+time.Second)); err != nil {
		t.Fatal(err)
	}
	wantErr(t, errOf(m.Challenge(ctx, hash2)), errs.KindNotFound, "mfa_challenge_not_found", "")

	ok(t, e, func(tx port.Tx) error {
		if removed, err := tx.MFA().Remove(ctx, u.ID); err != nil || !removed {
			t.Fatalf("remove: %v %v", removed, err)
		}
		return nil
	})
	wantErr(t, errOf(m.TOTP(ctx, u.ID)), errs.KindNotFound, "totp_not_found", "")
}

// Live sessions and the coalesced last_seen_at.
func testSessionList(t *testing.T, e *iamtest.Env) {
	u, _, _ := placedUser(t, e)
	now := iam.Stamp(time.Now())
	older := authn.OpenSession(u.ID, now.Add(-time.Hour), 24*time.Hour, "10.0.0.1", "ua")
	newer := authn.OpenSession(u.ID, now, 24*time.Hour, "10.0.0.2", "ua")
	newer.AMR = authn.AMRFor(authn.MethodTOTP)
	ended := authn.OpenSession(u.ID, now, 24*time.Hour, "", "")
	ok(t, e, func(tx port.Tx) error {
		for _, s := range []authn.Session{older, newer, ended} {
			if err := tx.Sessions().Open(ctx, s); err != nil {
				return err
			}
		}
		return tx.Sessions().Revoke(ctx, ended.ID, authn.EndRevoked, now)
	})
	l := e.Store.SessionList()
	live := get(l.Live(ctx, u.ID, now))(t)
	if len(live) != 2 || live[0].ID != newer.ID || live[1].ID != older.ID || len(live[0].AMR) != 3 || live[1].AMR[0] != "pwd" {
		t.Fatalf("live %+v", live)
	}
	if got := get(l.Live(ctx, u.ID, now.Add(25*time.Hour)))(t); len(got) != 0 {
		t.Fatalf("expired sessions listed: %+v", got)
	}
	seen := func() time.Time { return get(e.Store.Sessions().Get(ctx, newer.ID))(t).Session.LastSeenAt }
	if err := l.Touch(ctx, newer.ID, now.Add(30*time.Second), now.Add(30*time.Second-authn.LastSeenEvery)); err != nil {
		t.Fatal(err)
	}
	if !seen().Equal(now) {
		t.Fatal("touched within the minute")
	}
	later := now.Add(authn.LastSeenEvery + time.Second)
	if err := l.Touch(ctx, newer.ID, later, later.Add(-authn.LastSeenEvery)); err != nil {
		t.Fatal(err)
	}
	if !seen().Equal(later) {
		t.Fatalf("not touched after a minute: %v", seen())
	}
}
