package authn_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/internal/domain/rbac"
)

func TestAMRFor(t *testing.T) {
	t.Parallel()
	for method, want := range map[string][]string{"": {"pwd"}, authn.MethodTOTP: {"pwd", "otp", "mfa"}, authn.MethodRecoveryCode: {"pwd", "mfa"}} {
		if got := authn.AMRFor(method); !slices.Equal(got, want) || !slices.Equal(authn.SplitAMR(authn.JoinAMR(got)), want) {
			t.Errorf("%q: %v", method, got)
		}
	}
	if got := authn.SplitAMR(""); !slices.Equal(got, []string{"pwd"}) {
		t.Errorf("a session older than MFA: %v", got)
	}
}

func TestRecoveryCodes(t *testing.T) {
	t.Parallel()
	codes, hashes := authn.NewRecoveryCodes()
	if len(codes) != 10 || len(hashes) != 10 {
		t.Fatalf("%d codes", len(codes))
	}
	for i, c := range codes {
		if len(c) != 19 || strings.Count(c, "-") != 3 {
			t.Errorf("shape %q", c)
		}
		for _, typed := range []string{c, strings.ToUpper(c), strings.ReplaceAll(c, "-", " "), strings.ReplaceAll(c, "-", "")} {
			n, ok := authn.NormalizeRecoveryCode(typed)
			if !ok || !slices.Equal(authn.HashRecoveryCode(n), hashes[i]) {
				t.Errorf("%q as %q does not match", c, typed)
			}
		}
	}
	for _, bad := range []string{"", "123456", "abcd-efgh-ijkl-mno", "abcd-efgh-ijkl-mno1"} {
		if _, ok := authn.NormalizeRecoveryCode(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestCodeShapes(t *testing.T) {
	t.Parallel()
	for code, want := range map[string]bool{"123456": true, "012345": true, "12345": false, "1234567": false, "12a456": false, "１２３４５６": false} {
		if authn.IsTOTPCode(code) != want {
			t.Errorf("%q", code)
		}
	}
}

func TestChallenge(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	raw, hash, c := authn.OpenChallenge(uuid.New(), now)
	if !authn.WellFormedMFAToken(raw) || !slices.Equal(authn.HashMFAToken(raw), hash) || authn.WellFormedMFAToken(raw[:10]) {
		t.Fatal("token shape")
	}
	used := now
	for _, tc := range []struct {
		name string
		c    authn.MFAChallenge
		at   time.Time
		want bool
	}{
		{"fresh", c, now, true},
		{"just before expiry", c, now.Add(authn.ChallengeTTL - time.Second), true},
		{"expired", c, now.Add(authn.ChallengeTTL), false},
		{"four wrong codes", authn.MFAChallenge{ExpiresAt: c.ExpiresAt, Failures: 4}, now, true},
		{"five wrong codes", authn.MFAChallenge{ExpiresAt: c.ExpiresAt, Failures: 5}, now, false},
		{"used", authn.MFAChallenge{ExpiresAt: c.ExpiresAt, UsedAt: &used}, now, false},
	} {
		if got := tc.c.Usable(tc.at); got != tc.want {
			t.Errorf("%s: %v", tc.name, got)
		}
	}
}

func TestMFAPolicy(t *testing.T) {
	t.Parallel()
	p := authn.MFAPolicy{Tiers: []rbac.Tier{rbac.TierSuperAdministrator, rbac.TierAdministrator}}
	for _, tc := range []struct {
		name              string
		enrolled, orgRule bool
		tier              rbac.Tier
		want              bool
	}{
		{"viewer, no rule", false, false, rbac.TierViewer, false},
		{"viewer in a require_mfa organization", false, true, rbac.TierViewer, true},
		{"administrator by tier", false, false, rbac.TierAdministrator, true},
		{"no roles", false, false, rbac.TierNone, false},
		{"enrolled administrator", true, true, rbac.TierSuperAdministrator, false},
	} {
		if got := p.MustEnrol(tc.enrolled, tc.orgRule, tc.tier); got != tc.want {
			t.Errorf("%s: %v", tc.name, got)
		}
	}
	if (authn.MFAPolicy{}).CoversTier(rbac.TierSuperAdministrator) {
		t.Error("no tiers configured covers nobody")
	}
}
