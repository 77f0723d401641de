package errs_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/telemetryflow/core/internal/domain/errs"
)

func TestIsKind(t *testing.T) { // not parallel: AllocsPerRun
	for _, c := range []struct {
		name string
		err  error
		kind errs.Kind
		want bool
	}{
		{"nil", nil, errs.KindNotFound, false},
		{"that kind", errs.NotFound("user"), errs.KindNotFound, true},
		{"wrapped", fmt.Errorf("load: %w", errs.NotFound("user")), errs.KindNotFound, true},
		{"another kind", errs.NotFound("user"), errs.KindConflict, false},
		{"not ours", errors.New("boom"), errs.KindNotFound, false},
	} {
		if got := errs.IsKind(c.err, c.kind); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	// Called on every success path (a nil error): it must cost nothing there.
	if n := testing.AllocsPerRun(100, func() { _ = errs.IsKind(nil, errs.KindNotFound) }); n != 0 {
		t.Fatalf("IsKind(nil) allocates %v times", n)
	}
}
