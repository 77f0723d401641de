package store_test

import (
	"bytes"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/testutil/iamtest"
)

// The authentication ports' part of TestRepositoryContract: credentials, sessions, refresh
// tokens and signing keys (the failure counts: loginfailures_test.go), on every dialect.

// placedUser creates an active user in a fresh hierarchy.
func placedUser(t *testing.T, e *iamtest.Env) (*iam.User, *iam.Organization, *iam.Tenant) {
	t.Helper()
	_, tn, o, _ := hierarchy(t, e)
	return newUser(t, e, o.ID, iam.StatusActive), o, tn
}

func testCredentials(t *testing.T, e *iamtest.Env) {
	u, o, tn := placedUser(t, e)
	got := get(e.Store.Credentials().ByEmail(ctx, u.Email))(t)
	if got.ID != u.ID || got.PasswordHash != u.PasswordHash || got.TenantID != tn.ID || !got.HierarchyActive ||
		got.Status != iam.StatusActive || got.CreatedAt.Location() != time.UTC {
		t.Fatalf("by email: %+v", got)
	}
	if byID := get(e.Store.Credentials().Get(ctx, u.ID))(t); byID.Email != u.Email || byID.TenantID != tn.ID {
		t.Fatalf("by id: %+v", byID)
	}
	wantErr(t, errOf(e.Store.Credentials().ByEmail(ctx, "nobody@example.com")), errs.KindNotFound, "user_not_found", "")
	// The login's read finds the same user, and no user without an error (its counts:
	// loginfailures_test.go).
	key := authn.LockKey{Account: authn.AccountKey(u.Email), Client: "192.0.2.1"}
	if forLogin, _, err := e.Store.Credentials().ForLogin(ctx, u.Email, key); err != nil || !reflect.DeepEqual(forLogin, got) {
		t.Fatalf("the login reads %+v %v, by email %+v", forLogin, err, got)
	}
	if nobody, _, err := e.Store.Credentials().ForLogin(ctx, "nobody@example.com", key); nobody != nil || err != nil {
		t.Fatalf("the login reads %+v %v for an unknown email", nobody, err)
	}

	// The placement says whether everything above the user is active.
	o.Active = false
	ok(t, e, func(tx port.Tx) error { return tx.Organizations().Update(ctx, o) })
	if got := get(e.Store.Credentials().ByEmail(ctx, u.Email))(t); got.HierarchyActive {
		t.Fatal("an inactive organization reads as active")
	}
	if got, _, err := e.Store.Credentials().ForLogin(ctx, u.Email, key); err != nil || got == nil || got.HierarchyActive {
		t.Fatalf("an inactive organization reads as active at login: %+v %v", got, err)
	}

	// A login clears the account-wide count and lock and may replace the hash; a password
	// change sets the hash and its time.
	lock := time.Now().Add(time.Hour)
	u.FailedLoginCount, u.LockedUntil = 7, &lock
	ok(t, e, func(tx port.Tx) error { return tx.Users().Update(ctx, u) })
	at := iam.Stamp(time.Now())
	ok(t, e, func(tx port.Tx) error { return tx.Credentials().LoggedIn(ctx, u.ID, at, "") })
	got = get(e.Store.Credentials().Get(ctx, u.ID))(t)
	if got.FailedLoginCount != 0 || got.LockedUntil != nil || got.LastLoginAt == nil || !got.LastLoginAt.Equal(at) || got.PasswordHash != u.PasswordHash {
		t.Fatalf("after login: %+v", got)
	}
	ok(t, e, func(tx port.Tx) error { return tx.Credentials().LoggedIn(ctx, u.ID, at, "$fake$rehashed") })
	if got := get(e.Store.Credentials().Get(ctx, u.ID))(t); got.PasswordHash != "$fake$rehashed" {
		t.Fatalf("rehash not stored: %q", got.PasswordHash)
	}
	ok(t, e, func(tx port.Tx) error { return tx.Credentials().SetPassword(ctx, u.ID, "$fake$changed", at) })
	if got := get(e.Store.Credentials().Get(ctx, u.ID))(t); got.PasswordHash != "$fake$changed" || got.PasswordChangedAt == nil || !got.PasswordChangedAt.Equal(at) {
		t.Fatalf("after password change: %+v", got)
	}

	// Deleted users are not found.
	if err := u.Transition(iam.ActionDelete, time.Now()); err != nil {
		t.Fatal(err)
	}
	ok(t, e, func(tx port.Tx) error { return tx.Users().Update(ctx, u) })
	wantErr(t, errOf(e.Store.Credentials().ByEmail(ctx, u.Email)), errs.KindNotFound, "user_not_found", "")
	wantErr(t, errOf(e.Store.Credentials().Get(ctx, u.ID)), errs.KindNotFound, "user_not_found", "")
	if deleted, _, err := e.Store.Credentials().ForLogin(ctx, u.Email, key); deleted != nil || err != nil {
		t.Fatalf("the login reads a deleted user: %+v %v", deleted, err)
	}
}

func testAuthSessions(t *testing.T, e *iamtest.Env) {
	u, _, tn := placedUser(t, e)
	now := time.Now().UTC()
	open := func() authn.Session {
		s := authn.OpenSession(u.ID, now, time.Hour, "192.0.2.1", "agent")
		ok(t, e, func(tx port.Tx) error { return tx.Sessions().Open(ctx, s) })
		return s
	}
	a, b, c := open(), open(), open()
	v := get(e.Store.Sessions().Get(ctx, a.ID))(t)
	if v.Session.ID != a.ID || v.Session.UserID != u.ID || v.Session.RevokedAt != nil || v.Session.IPAddress != "192.0.2.1" ||
		v.Session.UserAgent != "agent" || v.Session.ExpiresAt.Sub(a.ExpiresAt).Abs() > time.Millisecond ||
		v.User.ID != u.ID || v.User.Email != u.Email || v.User.TenantID != tn.ID || !v.User.HierarchyActive {
		t.Fatalf("session view %+v", v)
	}
	wantErr(t, errOf(e.Store.Sessions().Get(ctx, uuid.New())), errs.KindNotFound, "session_not_found", "")

	// One session; then all but one; a revoked session stays revoked with its first reason.
	ok(t, e, func(tx port.Tx) error { return tx.Sessions().Revoke(ctx, a.ID, authn.EndLogout, now) })
	ok(t, e, func(tx port.Tx) error { return tx.Sessions().Revoke(ctx, a.ID, authn.EndRefreshTokenReuse, now) })
	if v := get(e.Store.Sessions().Get(ctx, a.ID))(t); v.Session.RevokedAt == nil || v.Session.RevokeReason != authn.EndLogout {
		t.Fatalf("revoked session %+v", v.Session)
	}
	var n int
	ok(t, e, func(tx port.Tx) error {
		var err error
		n, err = tx.Sessions().RevokeAll(ctx, u.ID, authn.EndPasswordChanged, now, c.ID)
		return err
	})
	if n != 1 {
		t.Fatalf("revoked %d, want 1 (a was revoked already, c is kept)", n)
	}
	if v := get(e.Store.Sessions().Get(ctx, b.ID))(t); v.Session.RevokedAt == nil || v.Session.RevokeReason != authn.EndPasswordChanged {
		t.Fatalf("b %+v", v.Session)
	}
	if v := get(e.Store.Sessions().Get(ctx, c.ID))(t); v.Session.RevokedAt != nil {
		t.Fatal("the kept session was revoked")
	}

	// The view follows the user and the hierarchy (verification decides on them).
	tn.Active = false
	ok(t, e, func(tx port.Tx) error { return tx.Tenants().Update(ctx, tn) })
	if v := get(e.Store.Sessions().Get(ctx, c.ID))(t); v.User.HierarchyActive {
		t.Fatal("an inactive tenant reads as active")
	}
}

func testRefreshTokens(t *testing.T, e *iamtest.Env) {
	u, _, tn := placedUser(t, e)
	now := time.Now().UTC()
	s := authn.OpenSession(u.ID, now, time.Hour, "192.0.2.1", "agent")
	s.AMR = authn.AMRFor("totp")
	raw, first := authn.IssueRefreshToken(s, s.ID, now, 10*time.Minute)
	// A login opens the session with its first token (one statement on PostgreSQL).
	ok(t, e, func(tx port.Tx) error { return tx.Sessions().OpenWithToken(ctx, s, first) })
	v := get(e.Store.Tx(t).RefreshTokens().ForRotation(ctx, authn.HashRefreshToken(raw)))(t)
	if v.Token.ID != first.ID || !bytes.Equal(v.Token.Hash, first.Hash) || v.Token.Family != s.ID || v.Token.SessionID != s.ID ||
		v.Token.UsedAt != nil || v.Token.ExpiresAt.Sub(first.ExpiresAt).Abs() > time.Millisecond || v.Token.CreatedAt.Sub(first.CreatedAt).Abs() > time.Millisecond ||
		v.Session.ID != s.ID || v.User.ID != u.ID || v.User.TenantID != tn.ID || !v.User.HierarchyActive {
		t.Fatalf("rotation view %+v", v)
	}
	if got := v.Session; got.UserID != u.ID || got.IPAddress != s.IPAddress || got.UserAgent != s.UserAgent || !slices.Equal(got.AMR, s.AMR) ||
		got.ExpiresAt.Sub(s.ExpiresAt).Abs() > time.Millisecond || got.LastSeenAt.Sub(s.LastSeenAt).Abs() > time.Millisecond ||
		got.RevokedAt != nil || got.ClientID != "" || got.Scope != nil {
		t.Fatalf("the session opened with its token: %+v, want %+v", got, s)
	}
	wantErr(t, errOf(e.Store.Tx(t).RefreshTokens().ForRotation(ctx, authn.HashRefreshToken("tfr_nope"))), errs.KindNotFound, "refresh_token_not_found", "")

	// A token is spent once: the second rotation of it issues nothing.
	_, second := authn.IssueRefreshToken(s, s.ID, now, 10*time.Minute)
	_, third := authn.IssueRefreshToken(s, s.ID, now, 10*time.Minute)
	for i, want := range []bool{true, false} {
		next := second
		if i == 1 {
			next = third
		}
		var rotated bool
		ok(t, e, func(tx port.Tx) error {
			var err error
			rotated, err = tx.RefreshTokens().Rotate(ctx, first.ID, next, now)
			return err
		})
		if rotated != want {
			t.Fatalf("rotation %d: %v, want %v", i+1, rotated, want)
		}
	}
	if v := get(e.Store.Tx(t).RefreshTokens().ForRotation(ctx, first.Hash))(t); v.Token.UsedAt == nil {
		t.Fatal("the rotated token is not spent")
	}
	if v := get(e.Store.Tx(t).RefreshTokens().ForRotation(ctx, second.Hash))(t); v.Token.UsedAt != nil || v.Token.Family != s.ID {
		t.Fatalf("the next token %+v", v.Token)
	}
	wantErr(t, errOf(e.Store.Tx(t).RefreshTokens().ForRotation(ctx, third.Hash)), errs.KindNotFound, "refresh_token_not_found", "")
}

func testSigningKeys(t *testing.T, e *iamtest.Env) {
	now := time.Now().UTC()
	key := func(kid string, at time.Time) port.SealedKey {
		return port.SealedKey{KID: kid, Algorithm: "EdDSA", PublicKey: []byte("pub-" + kid), PrivateSealed: []byte("sealed-" + kid),
			CreatedAt: at, NotBefore: at}
	}
	old, cur := key(unique("old"), now.Add(-time.Hour)), key(unique("cur"), now)
	for _, k := range []port.SealedKey{old, cur} {
		if err := e.Store.SigningKeys().Insert(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	// Retiring is conditional: the second instance to try changes nothing.
	for i, want := range []bool{true, false} {
		var retired bool
		ok(t, e, func(tx port.Tx) error {
			var err error
			retired, err = tx.SigningKeys().Retire(ctx, old.KID, now.Add(-time.Minute))
			return err
		})
		if retired != want {
			t.Fatalf("retire %d: %v, want %v", i+1, retired, want)
		}
	}
	has := func(retiredAfter time.Time) map[string]port.SealedKey {
		out := map[string]port.SealedKey{}
		for _, k := range get(e.Store.SigningKeys().Trusted(ctx, retiredAfter))(t) {
			out[k.KID] = k
		}
		return out
	}
	if ks := has(now.Add(-2 * time.Minute)); ks[old.KID].RetiredAt == nil || !bytes.Equal(ks[cur.KID].PrivateSealed, cur.PrivateSealed) ||
		!bytes.Equal(ks[cur.KID].PublicKey, cur.PublicKey) || ks[cur.KID].RetiredAt != nil {
		t.Fatalf("trusted %+v", ks)
	}
	if ks := has(now); len(ks) == 0 || ks[old.KID].KID != "" || ks[cur.KID].KID == "" {
		t.Fatalf("a key retired before the cutoff is still trusted: %+v", ks)
	}
	wantErr(t, e.Store.SigningKeys().Insert(ctx, cur), errs.KindConflict, errs.CodeAlreadyExists, "kid")
}
