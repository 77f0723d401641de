package oauth_test

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/oauth"
)

func TestParseScope(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want []string
		bad  bool
	}{
		{"", nil, false},
		{"   ", nil, false},
		{"user:read", []string{"user:read"}, false},
		{" user:read  role:read user:read ", []string{"role:read", "user:read"}, false},
		{"user", nil, true},
		{"user: role:read", nil, true},
		{":read", nil, true},
	}
	for _, c := range cases {
		got, err := oauth.ParseScope(c.in)
		if c.bad {
			if e := errs.As(err); e == nil || e.Code != oauth.CodeInvalidScope {
				t.Errorf("%q: want invalid_scope, got %v", c.in, err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("%q: got %v %v, want %v", c.in, got, err, c.want)
		}
	}
}

func TestNarrow(t *testing.T) {
	t.Parallel()
	held := func(p string) bool { return p == "user:read" || p == "authz:check" }
	if got, err := oauth.Narrow([]string{"user:read"}, held); err != nil || !slices.Equal(got, []string{"user:read"}) {
		t.Fatalf("held scope: %v %v", got, err)
	}
	if _, err := oauth.Narrow([]string{"user:read", "user:delete"}, held); errs.As(err).Code != oauth.CodeInvalidScope {
		t.Fatalf("unheld scope: %v", err)
	}
}

func TestSecrets(t *testing.T) {
	t.Parallel()
	a, b := oauth.NewSecret(), oauth.NewSecret()
	if a == b || !oauth.WellFormedSecret(a) || len(a) != len("tfcs_")+43 {
		t.Fatalf("secrets %q %q", a, b)
	}
	for _, bad := range []string{"", "tfcs_", "tfcs_short", "xxxx_" + a[5:], a + "A", a[:len(a)-1] + "*"} {
		if oauth.WellFormedSecret(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
	k1, k2 := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
	if !oauth.SecretMatches(oauth.HashSecret(k1, a), oauth.HashSecret(k1, a)) ||
		oauth.SecretMatches(oauth.HashSecret(k1, a), oauth.HashSecret(k2, a)) ||
		oauth.SecretMatches(oauth.HashSecret(k1, a), oauth.HashSecret(k1, b)) {
		t.Fatal("the keyed hash must depend on key and secret")
	}
}

func TestUsable(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	past, future := now.Add(-time.Second), now.Add(time.Second)
	for _, c := range []struct {
		revoked, expires *time.Time
		want             bool
	}{{nil, nil, true}, {nil, &future, true}, {nil, &past, false}, {nil, &now, false}, {&past, nil, false}} {
		if got := oauth.Usable(c.revoked, c.expires, now); got != c.want {
			t.Errorf("revoked %v expires %v: %v", c.revoked, c.expires, got)
		}
	}
	if oauth.CheckExpiry(&past, now) == nil || oauth.CheckExpiry(&future, now) != nil || oauth.CheckExpiry(nil, now) != nil {
		t.Fatal("CheckExpiry")
	}
}

func FuzzParseScope(f *testing.F) {
	f.Add("user:read role:read")
	f.Add(" a:b\tc:d ")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := oauth.ParseScope(s)
		if err != nil {
			return
		}
		if !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
			t.Fatalf("%q → %v: not sorted and distinct", s, got)
		}
	})
}
