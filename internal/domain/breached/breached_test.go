package breached_test

import (
	"strings"
	"testing"

	"github.com/telemetryflow/core/internal/domain/breached"
	"github.com/telemetryflow/core/internal/domain/iam"
)

var _ iam.PasswordList = breached.Common()

func TestBundledList(t *testing.T) {
	t.Parallel()
	l := breached.Common()
	if err := l.Load(); err != nil {
		t.Fatal(err)
	}
	if l.Len() < 100000 {
		t.Fatalf("%d passwords, want at least 100,000", l.Len())
	}
	for _, pw := range []string{"passwordpassword", "123456789012", "password", "qwertyuiop", "iloveyou", "zzzzzzzz"} {
		if !l.Contains(pw) {
			t.Errorf("%q is not on the list", pw)
		}
	}
	for _, pw := range []string{"", "a", "bootstrap-password-for-tests", "correct horse battery staple", strings.Repeat("q", 300), "PASSWORDPASSWORD"} {
		if l.Contains(pw) {
			t.Errorf("%q is on the list", pw)
		}
	}
}

// TestPolicyRefusesCommonPasswords: the policy with the bundled list refuses the passwords of
// the issue, whatever their case, with the code of the rule.
func TestPolicyRefusesCommonPasswords(t *testing.T) {
	t.Parallel()
	p := iam.PasswordPolicy{Min: 12, Max: 128, Common: breached.Common()}
	for pw, code := range map[string]string{
		"passwordpassword": iam.CodePasswordBreached,
		"PasswordPassword": iam.CodePasswordBreached,
		"123456789012":     iam.CodePasswordBreached,
		"            ":     iam.CodePasswordTooFewDistinct,
	} {
		err := p.Check(pw, "")
		if err == nil {
			t.Errorf("%q accepted", pw)
			continue
		}
		if !strings.Contains(err.Error(), "invalid field") {
			t.Errorf("%q: %v", pw, err)
		}
		if got := fieldCode(err); got != code {
			t.Errorf("%q: code %q, want %q", pw, got, code)
		}
	}
	if err := p.Check("bootstrap-password-for-tests", ""); err != nil {
		t.Fatalf("the test bootstrap password is refused: %v", err)
	}
}

// BenchmarkContains measures a lookup on the loaded list and reports the bytes it holds.
func BenchmarkContains(b *testing.B) {
	l := breached.Common()
	if err := l.Load(); err != nil {
		b.Fatal(err)
	}
	words := []string{"passwordpassword", "correct horse battery staple", "123456789012", "not-on-the-list-42"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		_ = l.Contains(words[i%len(words)])
	}
	b.ReportMetric(float64(l.Bytes()), "bytes_held")
}
