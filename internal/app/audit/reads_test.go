package audit_test

import (
	"errors"
	"testing"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/domain/errs"
)

func TestReadsRule(t *testing.T) {
	t.Parallel()
	cases := []struct {
		setting                       string
		ordinary, sensitive, auditLog bool
	}{
		{"all", true, true, true},
		{"sensitive", false, true, true},
		{"none", false, false, true},
	}
	for _, tc := range cases {
		r, ok := audit.ParseReads(tc.setting)
		if !ok || r.String() != tc.setting {
			t.Fatalf("ParseReads(%q) = %v, %v", tc.setting, r, ok)
		}
		got := []bool{r.Records(audit.ReadOrdinary), r.Records(audit.ReadSensitive), r.Records(audit.ReadAuditTrail)}
		want := []bool{tc.ordinary, tc.sensitive, tc.auditLog}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: kind %d records %v, want %v", tc.setting, i, got[i], want[i])
			}
		}
	}
	if _, ok := audit.ParseReads("some"); ok {
		t.Error("an unknown setting parsed")
	}
	var zero audit.Reads
	if zero != audit.ReadsAll {
		t.Error("the zero value must record every read (the seed's default)")
	}
	if _, err := audit.NewLog(audit.LogConfig{Reads: audit.ReadsAll}); err == nil {
		t.Error("a log without a recorder was built")
	}
	var none *audit.Log
	if none.Records(audit.ReadAuditTrail) {
		t.Error("a read log without a recorder records nothing")
	}
}

func TestOutcome(t *testing.T) {
	t.Parallel()
	cases := []struct {
		err     error
		result  audit.Result
		message string
	}{
		{nil, audit.ResultSuccess, ""},
		{errs.NotFound("user"), audit.ResultFailure, "user_not_found: The user does not exist."},
		{errs.New(errs.KindForbidden, "tier_escalation", "no"), audit.ResultDenied, "tier_escalation: no"},
		{errors.New("pq: SELECT secret"), audit.ResultFailure, "internal_error: An internal error occurred."},
	}
	for _, tc := range cases {
		r, m := audit.Outcome(tc.err)
		if r != tc.result || m != tc.message {
			t.Errorf("%v: %s %q", tc.err, r, m)
		}
	}
}
