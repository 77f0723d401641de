package authz_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/authz"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/platform/principal"
	"github.com/telemetryflow/core/internal/testutil/iamtest"
)

func newService(t *testing.T, reads audit.Reads) (*authz.Service, *iamtest.AuditLog, map[string]*authz.Subject) {
	t.Helper()
	store, subs := fixture()
	d := newDecider(t, authz.Config{Store: store, TTL: time.Minute, DemoOrganization: demoOrg, DemoRole: demoRole})
	rows := &iamtest.AuditLog{}
	log, err := audit.NewLog(audit.LogConfig{Recorder: rows, Reads: reads})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := authz.NewService(authz.ServiceConfig{Decider: d, Audit: log})
	if err != nil {
		t.Fatal(err)
	}
	return svc, rows, subs
}

func as(s *authz.Subject) context.Context {
	return principal.With(context.Background(), &principal.Principal{UserID: s.UserID, OrganizationID: s.OrganizationID})
}

// TestAboutOtherUser is the decision API's rule for a check naming another user, as a table.
func TestAboutOtherUser(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		exists  bool
		mayRead authz.Decision
		want    string
	}{
		{"unknown user", false, authz.Decision{}, authz.DenyUserNotFound},
		{"unknown user, whatever the caller holds", false, authz.Decision{Allowed: true, Reason: authz.AllowSuperAdmin}, authz.DenyUserNotFound},
		{"user:read over them", true, authz.Decision{Allowed: true, Reason: "role:administrator"}, ""},
		{"super administrator", true, authz.Decision{Allowed: true, Reason: authz.AllowSuperAdmin}, ""},
		{"outside the caller's scope: reveals nothing", true, authz.Decision{Reason: authz.DenyOutOfScope}, authz.DenyUserNotFound},
		{"in scope without user:read", true, authz.Decision{Reason: authz.DenyNoGrant}, authz.DenyNotPermitted},
		{"demo-confined caller", true, authz.Decision{Reason: authz.DenyDemoConfined}, authz.DenyNotPermitted},
		{"inactive caller", true, authz.Decision{Reason: authz.DenyUserInactive}, authz.DenyNotPermitted},
	}
	for _, tc := range cases {
		if got := authz.AboutOtherUser(tc.exists, tc.mayRead); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestCheckBatch: questions about other users pass AboutOtherUser with what the decider
// knows; each batch leaves one DATA row whose kind follows what it asked.
func TestCheckBatch(t *testing.T) {
	t.Parallel()
	svc, rows, subs := newService(t, audit.ReadsSensitive)
	admin, dev, demo := subs["admin"], subs["developer"], subs["demo"]
	outsider := subject(orgB, true, 4, nil)
	ptr := func(id uuid.UUID) *uuid.UUID { return &id }
	cases := []struct {
		name    string
		caller  *authz.Subject
		q       authz.Question
		allowed bool
		reason  string
	}{
		{"about the caller", dev, authz.Question{Permission: "dashboard:create"}, true, "role:developer"},
		{"naming the caller", dev, authz.Question{UserID: ptr(dev.UserID), Permission: "user:delete"}, false, authz.DenyNoGrant},
		{"about a user the caller may read", admin, authz.Question{UserID: ptr(dev.UserID), Permission: "dashboard:create"}, true, "role:developer"},
		{"about a user in another organization", admin, authz.Question{UserID: ptr(demo.UserID), Permission: "dashboard:create"}, false, authz.DenyUserNotFound},
		{"about a user who does not exist", admin, authz.Question{UserID: ptr(outsider.UserID), Permission: "user:read"}, false, authz.DenyUserNotFound},
		{"a super administrator about a user elsewhere", subs["super"], authz.Question{UserID: ptr(demo.UserID), Permission: "dashboard:create", WorkspaceID: ptr(wsDemo)}, true, "role:demo"},
		{"in scope without user:read", subs["demoAbroad"], authz.Question{UserID: ptr(dev.UserID), Permission: "dashboard:create"}, false, authz.DenyNotPermitted},
	}
	for _, tc := range cases {
		got, err := svc.CheckBatch(as(tc.caller), []authz.Question{tc.q})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(got) != 1 || got[0].Allowed != tc.allowed || got[0].Reason != tc.reason {
			t.Errorf("%s: got %+v, want %v %q", tc.name, got, tc.allowed, tc.reason)
		}
	}
	// TF_AUDIT_READS=sensitive: only the batches about someone else left a row, and each
	// names its target: the organization of the user it revealed, else the caller's.
	var recorded []string
	for _, e := range rows.Rows() {
		if e.EventType != audit.EventData || e.Action != "check_authorization" || e.Resource != "authorization" || e.Result != audit.ResultSuccess {
			t.Errorf("row %+v", e)
		}
		recorded = append(recorded, e.TargetOrganizationID)
	}
	want := []string{orgA.String(), orgA.String(), orgA.String(), demoOrg.String(), orgA.String()}
	if strings.Join(recorded, ",") != strings.Join(want, ",") {
		t.Errorf("targets %v, want %v", recorded, want)
	}
	if _, err := svc.CheckBatch(context.Background(), nil); !errs.IsKind(err, errs.KindUnauthenticated) {
		t.Errorf("no caller: %v", err)
	}
}

// TestAdmitRecordsTheDenial: the gate's one call decides and, on a refusal, records the AUTHZ
// DENIED row.
func TestAdmitRecordsTheDenial(t *testing.T) {
	t.Parallel()
	svc, rows, subs := newService(t, audit.ReadsNone)
	org := orgB.String()
	if err := svc.Admit(as(subs["admin"]), authz.Operation{ID: "deleteUser", Permission: "user:delete"}); err != nil {
		t.Fatal(err)
	}
	err := svc.Admit(as(subs["developer"]), authz.Operation{ID: "deleteOrganization", Permission: "user:delete", TargetOrganization: org})
	if e := errs.As(err); e.Kind != errs.KindForbidden || e.Code != authz.CodePermissionDenied || e.Message != "This operation requires the permission user:delete." {
		t.Fatalf("denial: %v", err)
	}
	got := rows.Rows()
	if len(got) != 1 {
		t.Fatalf("%d rows", len(got))
	}
	e := got[0]
	if e.EventType != audit.EventAuthz || e.Result != audit.ResultDenied || e.Action != "delete_organization" || e.Resource != "user" ||
		e.ErrorMessage != authz.DenyNoGrant || e.TargetOrganizationID != org || e.UserID != subs["developer"].UserID.String() {
		t.Errorf("row %+v", e)
	}
	if err := svc.Admit(context.Background(), authz.Operation{ID: "deleteUser", Permission: "user:delete"}); !errs.IsKind(err, errs.KindUnauthenticated) {
		t.Errorf("no caller: %v", err)
	}
}
