package totp_test

import (
	"strings"
	"testing"
	"time"

	"github.com/telemetryflow/core/internal/crypto/totp"
)

// rfcSecret is the SHA-1 seed of RFC 6238 Appendix B ("12345678901234567890"), base32.
const rfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

// The RFC 6238 Appendix B vectors, truncated to the 6 digits authenticator apps show.
func TestRFC6238Vectors(t *testing.T) {
	t.Parallel()
	for unix, want := range map[int64]string{59: "287082", 1111111109: "081804", 1111111111: "050471", 1234567890: "005924", 2000000000: "279037"} {
		got, err := totp.Code(rfcSecret, totp.Step(time.Unix(unix, 0)))
		if err != nil || got != want {
			t.Errorf("T=%d: %q %v, want %q", unix, got, err, want)
		}
	}
}

func TestMatchWindowAndReplay(t *testing.T) {
	t.Parallel()
	now := time.Unix(1234567890, 0)
	cur := totp.Step(now)
	code := func(step int64) string {
		c, err := totp.Code(rfcSecret, step)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	for _, tc := range []struct {
		name  string
		step  int64
		after int64
		want  bool
	}{
		{"current step", cur, 0, true},
		{"one step behind", cur - 1, 0, true},
		{"one step ahead", cur + 1, 0, true},
		{"two steps behind", cur - 2, 0, false},
		{"two steps ahead", cur + 2, 0, false},
		{"replay of the accepted step", cur, cur, false},
		{"older neighbour after a newer one", cur - 1, cur, false},
		{"newer neighbour after an older one", cur + 1, cur, true},
	} {
		step, ok, err := totp.Match(rfcSecret, code(tc.step), now, tc.after)
		if err != nil || ok != tc.want || (ok && step != tc.step) {
			t.Errorf("%s: step %d ok %v err %v", tc.name, step, ok, err)
		}
	}
	if _, _, err := totp.Match("not base32!", "123456", now, 0); err == nil {
		t.Error("a malformed secret must fail")
	}
}

func TestNewEnrolment(t *testing.T) {
	t.Parallel()
	e, err := totp.New("TelemetryFlow", "ada@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Secret) != 32 || !strings.HasPrefix(e.URL, "otpauth://totp/TelemetryFlow:ada@example.com?") ||
		!strings.Contains(e.URL, "period=30") || !strings.Contains(e.URL, "digits=6") || !strings.Contains(e.URL, "algorithm=SHA1") ||
		!strings.HasPrefix(e.QRPNGDataURI, "data:image/png;base64,") {
		t.Fatalf("%+v", e)
	}
	if other, _ := totp.New("TelemetryFlow", "ada@example.com"); other.Secret == e.Secret {
		t.Fatal("secrets repeat")
	}
}
