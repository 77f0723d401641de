package store_test

import (
	"testing"
	"time"

	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/domain/oauth"
	"github.com/telemetryflow/core/internal/testutil/iamtest"
)

// The machine identities' part of TestRepositoryContract: secrets and keys, the single use of
// assertion ids, client sessions (scope round trip, pruning), on every dialect.
func testClients(t *testing.T, e *iamtest.Env) {
	_, _, o, _ := hierarchy(t, e)
	sa := get(iam.NewServiceAccount(o.ID, iam.ServiceAccountFields{Name: ptr("robot")}, time.Now()))(t)
	ok(t, e, func(tx port.Tx) error { return tx.Users().Create(ctx, sa) })
	got := get(e.Store.Credentials().Get(ctx, sa.ID))(t)
	if !got.IsService() || got.PasswordHash != "" || got.Status != iam.StatusActive {
		t.Fatalf("service account reads as %+v", got.User)
	}

	now := iam.Stamp(time.Now())
	exp := now.Add(time.Hour)
	s1 := oauth.Secret{ID: iam.NewID(), UserID: sa.ID, Hash: []byte("h1"), CreatedAt: now, ExpiresAt: &exp}
	s2 := oauth.Secret{ID: iam.NewID(), UserID: sa.ID, Hash: []byte("h2"), CreatedAt: now.Add(time.Second)}
	ok(t, e, func(tx port.Tx) error { return tx.Clients().AddSecret(ctx, s1) })
	ok(t, e, func(tx port.Tx) error { return tx.Clients().AddSecret(ctx, s2) })
	secrets := get(e.Store.Clients().Secrets(ctx, sa.ID))(t)
	if len(secrets) != 2 || secrets[0].ID != s2.ID || string(secrets[1].Hash) != "h1" || !secrets[1].ExpiresAt.Equal(exp) {
		t.Fatalf("secrets %+v", secrets)
	}
	// The same in one round trip with the account.
	if u, ws := get2(e.Store.Clients().WithSecrets(ctx, sa.ID))(t); u.ID != sa.ID || !u.IsService() || !u.HierarchyActive ||
		len(ws) != 2 || ws[0].ID != s2.ID || string(ws[1].Hash) != "h1" || !ws[1].ExpiresAt.Equal(exp) {
		t.Fatalf("with secrets: %+v %+v", u, ws)
	}
	bare := get(iam.NewServiceAccount(o.ID, iam.ServiceAccountFields{Name: ptr("bare")}, time.Now()))(t)
	ok(t, e, func(tx port.Tx) error { return tx.Users().Create(ctx, bare) })
	if u, ws := get2(e.Store.Clients().WithSecrets(ctx, bare.ID))(t); u.ID != bare.ID || len(ws) != 0 {
		t.Fatalf("without secrets: %+v %+v", u, ws)
	}
	_, _, err := e.Store.Clients().WithSecrets(ctx, iam.NewID())
	wantErr(t, err, errs.KindNotFound, "user_not_found", "")
	ok(t, e, func(tx port.Tx) error { return tx.Clients().SecretUsed(ctx, s1.ID, now) })
	ok(t, e, func(tx port.Tx) error { return tx.Clients().RevokeSecret(ctx, sa.ID, s1.ID, now) })
	wantErr(t, tx(t, e, func(tx port.Tx) error { return tx.Clients().RevokeSecret(ctx, sa.ID, s1.ID, now) }),
		errs.KindNotFound, "client_secret_not_found", "")
	if secrets := get(e.Store.Clients().Secrets(ctx, sa.ID))(t); len(secrets) != 1 || secrets[0].ID != s2.ID {
		t.Fatalf("after revoking: %+v", secrets)
	}

	k := oauth.Key{ID: iam.NewID(), UserID: sa.ID, KID: "k1", Algorithm: "EdDSA", JWK: []byte(`{"kty":"OKP"}`), CreatedAt: now}
	ok(t, e, func(tx port.Tx) error { return tx.Clients().AddKey(ctx, k) })
	if keys := get(e.Store.Clients().Keys(ctx, sa.ID))(t); len(keys) != 1 || keys[0].KID != "k1" || string(keys[0].JWK) != `{"kty":"OKP"}` {
		t.Fatalf("keys %+v", keys)
	}
	ok(t, e, func(tx port.Tx) error { return tx.Clients().RevokeKey(ctx, sa.ID, k.ID, now) })
	if keys := get(e.Store.Clients().Keys(ctx, sa.ID))(t); len(keys) != 0 {
		t.Fatalf("revoked key listed: %+v", keys)
	}

	// An assertion id is accepted once, and forgotten once expired.
	use := func(id string, expires, at time.Time) bool {
		var fresh bool
		ok(t, e, func(tx port.Tx) error {
			var err error
			fresh, err = tx.Clients().UseAssertion(ctx, id, expires, at)
			return err
		})
		return fresh
	}
	jti := sa.ID.String() + ":" + unique("jti")
	if !use(jti, now.Add(time.Minute), now) || use(jti, now.Add(time.Minute), now) {
		t.Fatal("an assertion id must be accepted exactly once")
	}
	if !use(jti, now.Add(3*time.Minute), now.Add(2*time.Minute)) {
		t.Fatal("an expired assertion id is not forgotten")
	}

	// A client session keeps its client id and scope; ended ones are pruned, others stay.
	se := authn.OpenSession(sa.ID, now, time.Minute, "", "")
	se.ClientID, se.Scope = sa.ID.String(), []string{"role:read", "user:read"}
	plain := authn.OpenSession(sa.ID, now, time.Minute, "", "")
	plain.ClientID = sa.ID.String()
	login := authn.OpenSession(sa.ID, now, time.Minute, "", "")
	for _, s := range []authn.Session{se, plain, login} {
		ok(t, e, func(tx port.Tx) error { return tx.Sessions().Open(ctx, s) })
	}
	v := get(e.Store.Sessions().Get(ctx, se.ID))(t)
	if v.Session.ClientID != sa.ID.String() || len(v.Session.Scope) != 2 || v.Session.Scope[1] != "user:read" {
		t.Fatalf("client session %+v", v.Session)
	}
	if v := get(e.Store.Sessions().Get(ctx, plain.ID))(t); v.Session.Scope != nil {
		t.Fatalf("an unscoped grant reads as narrowed: %v", v.Session.Scope)
	}
	var n int
	ok(t, e, func(tx port.Tx) error {
		var err error
		n, err = tx.Sessions().PruneClientSessions(ctx, now.Add(2*time.Minute))
		return err
	})
	if n != 2 {
		t.Fatalf("pruned %d, want the 2 client sessions", n)
	}
	get(e.Store.Sessions().Get(ctx, login.ID))(t)
}

// get2 unwraps a (value, value, error) result.
func get2[A, B any](a A, b B, err error) func(t testing.TB) (A, B) {
	return func(t testing.TB) (A, B) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return a, b
	}
}
