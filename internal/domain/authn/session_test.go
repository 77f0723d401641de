package authn_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/internal/domain/iam"
)

func TestCheckRefresh(t *testing.T) {
	t.Parallel()
	active := &iam.User{Status: iam.StatusActive}
	s := authn.OpenSession(uuid.New(), at(0), 60*time.Minute, "192.0.2.1", "ua")
	_, tok := authn.IssueRefreshToken(s, s.ID, at(0), 10*time.Minute)
	spent, revoked := tok, s
	spent.UsedAt, revoked.RevokedAt = atp(1), atp(1)
	for _, tc := range []struct {
		name   string
		t      authn.RefreshToken
		s      authn.Session
		u      *iam.User
		placed bool
		now    int
		want   authn.RefreshRefusal
	}{
		{"fresh", tok, s, active, true, 1, ""},
		{"spent", spent, s, active, true, 2, authn.RefreshReused},
		{"spent on a revoked session is still reuse", spent, revoked, active, true, 2, authn.RefreshReused},
		{"revoked session", tok, revoked, active, true, 2, authn.RefreshSessionEnded},
		{"token expired", tok, s, active, true, 10, authn.RefreshSessionEnded},
		{"session past its end", tok, authn.Session{ExpiresAt: at(5)}, active, true, 5, authn.RefreshSessionEnded},
		{"user inactive", tok, s, &iam.User{Status: iam.StatusInactive}, true, 1, authn.RefreshSessionEnded},
		{"user deleted", tok, s, &iam.User{Status: iam.StatusActive, DeletedAt: atp(0)}, true, 1, authn.RefreshSessionEnded},
		{"organization inactive: suspended", tok, s, active, false, 1, authn.RefreshOrganizationInactive},
		{"ended wins over suspended", tok, revoked, active, false, 2, authn.RefreshSessionEnded},
	} {
		if got := authn.CheckRefresh(tc.t, tc.s, tc.u, tc.placed, at(tc.now)); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestRefreshTokensNeverOutliveTheirSession(t *testing.T) {
	t.Parallel()
	s := authn.OpenSession(uuid.New(), at(0), 30*time.Minute, "", "")
	if _, tok := authn.IssueRefreshToken(s, s.ID, at(0), 10*time.Minute); !tok.ExpiresAt.Equal(at(10)) {
		t.Errorf("sliding lifetime: %v", tok.ExpiresAt)
	}
	if _, tok := authn.IssueRefreshToken(s, s.ID, at(25), 10*time.Minute); !tok.ExpiresAt.Equal(at(30)) {
		t.Errorf("absolute end: %v", tok.ExpiresAt)
	}
}

func TestRefreshTokenFormat(t *testing.T) {
	t.Parallel()
	raw, hash := authn.NewRefreshToken()
	if !authn.WellFormedRefreshToken(raw) || string(authn.HashRefreshToken(raw)) != string(hash) {
		t.Fatalf("%q is not well formed or hashes differently", raw)
	}
	other, _ := authn.NewRefreshToken()
	for _, bad := range []string{"", "tfr_", raw[4:], "tfx_" + raw[4:], raw + "A", raw[:len(raw)-1], "tfr_" + string(make([]byte, 43)), other[:10] + "!" + other[11:]} {
		if authn.WellFormedRefreshToken(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
	if raw == other {
		t.Error("two tokens are equal")
	}
}
