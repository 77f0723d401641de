package accesstoken_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/crypto/accesstoken"
)

// Whatever the input, verification never panics and never accepts anything but a token this
// service signed.
func FuzzVerify(f *testing.F) {
	svc := newService(f, newKey(), time.Now)
	valid, _, _ := svc.Issue(accesstoken.Subject{UserID: uuid.New(), SessionID: uuid.New(), OrganizationID: uuid.New()})
	parts := strings.Split(valid, ".")
	for _, s := range []string{"", ".", "..", "a.b.c", valid, parts[0] + "." + parts[1] + ".", parts[0] + ".e30." + parts[2],
		"eyJhbGciOiJub25lIn0.e30.", strings.Repeat("A", 5000)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := svc.Verify(context.Background(), s)
		if err == nil && s != valid {
			t.Fatalf("accepted a token it did not issue: %q → %+v", s, v)
		}
	})
}
