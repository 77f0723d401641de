package accesstoken_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/crypto/accesstoken"
	"github.com/telemetryflow/core/internal/crypto/keyring"
)

// staticKeys is a fixed key set, enough for the token service's own tests.
type staticKeys struct{ ring *keyring.Ring }

func (s staticKeys) Ring() *keyring.Ring { return s.ring }
func (s staticKeys) RefreshFor(context.Context, string) (ed25519.PublicKey, bool) {
	return nil, false
}

func newKey() *keyring.Key {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	return &keyring.Key{KID: keyring.Thumbprint(pub), Public: pub, Private: priv, CreatedAt: time.Now()}
}

func newService(t testing.TB, k *keyring.Key, now func() time.Time) *accesstoken.Service {
	t.Helper()
	svc, err := accesstoken.New(accesstoken.Config{Issuer: "iss", Audience: "aud", TTL: 15 * time.Minute, Leeway: 30 * time.Second, Now: now},
		staticKeys{keyring.NewRing([]*keyring.Key{k})})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func TestIssueVerifyRoundTrip(t *testing.T) {
	t.Parallel()
	now := time.Now()
	k := newKey()
	svc := newService(t, k, func() time.Time { return now })
	sub := accesstoken.Subject{UserID: uuid.New(), SessionID: uuid.New(), TenantID: uuid.New(), OrganizationID: uuid.New()}
	raw, exp, err := svc.Issue(sub)
	if err != nil {
		t.Fatal(err)
	}
	v, err := svc.Verify(context.Background(), raw)
	if err != nil {
		t.Fatal(err)
	}
	if v.UserID != sub.UserID || v.SessionID != sub.SessionID || v.TenantID != sub.TenantID || v.OrganizationID != sub.OrganizationID || !v.ExpiresAt.Equal(exp) {
		t.Fatalf("verified %+v from %+v", v, sub)
	}
	cases := []struct {
		name   string
		at     time.Time
		reason accesstoken.Reason
	}{
		{"within leeway after expiry", exp.Add(20 * time.Second), ""},
		{"past leeway", exp.Add(31 * time.Second), accesstoken.ReasonExpired},
		{"before issue beyond leeway", now.Add(-time.Minute), accesstoken.ReasonNotYetValid},
	}
	for _, tc := range cases {
		later := newService(t, k, func() time.Time { return tc.at })
		_, err := later.Verify(context.Background(), raw)
		var re *accesstoken.RejectedError
		switch {
		case tc.reason == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.reason != "" && (!errors.As(err, &re) || re.Reason != tc.reason):
			t.Errorf("%s: got %v, want %s", tc.name, err, tc.reason)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	svc := newService(b, newKey(), time.Now)
	raw, _, _ := svc.Issue(accesstoken.Subject{UserID: uuid.New(), SessionID: uuid.New(), OrganizationID: uuid.New()})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := svc.Verify(ctx, raw); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkIssue(b *testing.B) {
	svc := newService(b, newKey(), time.Now)
	sub := accesstoken.Subject{UserID: uuid.New(), SessionID: uuid.New(), OrganizationID: uuid.New()}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := svc.Issue(sub); err != nil {
			b.Fatal(err)
		}
	}
}

func TestVerifyRejectsOtherIssuersKeys(t *testing.T) {
	t.Parallel()
	ours := newService(t, newKey(), time.Now)
	theirs := newService(t, newKey(), time.Now)
	raw, _, _ := theirs.Issue(accesstoken.Subject{UserID: uuid.New(), SessionID: uuid.New(), OrganizationID: uuid.New()})
	var re *accesstoken.RejectedError
	if _, err := ours.Verify(context.Background(), raw); !errors.As(err, &re) || re.Reason != accesstoken.ReasonUnknownKey {
		t.Fatalf("got %v", err)
	}
}

// A token marking any header parameter critical is refused: we understand no extension, so
// RFC 7515 requires rejection even when the signature and claims are valid.
func TestVerifyRefusesCriticalHeaders(t *testing.T) {
	t.Parallel()
	k := newKey()
	svc := newService(t, k, time.Now)
	now := time.Now()
	for _, crit := range []any{[]string{"exp"}, []string{"x-policy"}, []string{}, "b64"} {
		c := accesstoken.Claims{RegisteredClaims: jwt.RegisteredClaims{Issuer: "iss", Audience: jwt.ClaimStrings{"aud"}, Subject: uuid.NewString(),
			ExpiresAt: jwt.NewNumericDate(now.Add(time.Minute)), NotBefore: jwt.NewNumericDate(now), IssuedAt: jwt.NewNumericDate(now), ID: "j"},
			SessionID: uuid.NewString(), OrganizationID: uuid.NewString()}
		tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, c)
		tok.Header["kid"], tok.Header["crit"], tok.Header["x-policy"] = k.KID, crit, true
		raw, err := tok.SignedString(k.Private)
		if err != nil {
			t.Fatal(err)
		}
		var re *accesstoken.RejectedError
		if _, err := svc.Verify(context.Background(), raw); !errors.As(err, &re) || re.Reason != accesstoken.ReasonCritical {
			t.Errorf("crit %v: got %v", crit, err)
		}
	}
}
