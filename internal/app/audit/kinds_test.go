package audit_test

import (
	"context"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/platform/principal"
)

// TestActionName: use case types (the decorators) and contract operation ids (the gate) name
// one action the same way.
func TestActionName(t *testing.T) {
	t.Parallel()
	got := []string{audit.ActionName("ResetSomethingSecret"), audit.ActionName("createUser"), audit.ActionName("CreateUser"),
		audit.ActionName("getMe"), audit.ActionName("login")}
	want := []string{"reset_something_secret", "create_user", "create_user", "get_me", "login"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestKindConstructors: each kind's constructor fills what every event of the kind needs.
func TestKindConstructors(t *testing.T) {
	t.Parallel()
	caller := &principal.Principal{UserID: uuid.New(), OrganizationID: uuid.New(), Email: "a@example.com"}
	ctx := principal.With(context.Background(), caller)
	org := uuid.NewString()
	cases := []struct {
		name                    string
		e                       audit.Event
		typ                     audit.EventType
		action, resource        string
		result                  audit.Result
		message, meta, targetOr string
	}{
		{"auth", audit.NewAuth(ctx, "logout", "session", audit.ResultSuccess), audit.EventAuth, "logout", "session", audit.ResultSuccess, "", "{}", ""},
		{"authz", audit.NewAuthzDenied(ctx, "deleteOrganization", "organization:delete", "no_grant", org), audit.EventAuthz,
			"delete_organization", "organization", audit.ResultDenied, "no_grant",
			`{"operation":"deleteOrganization","permission":"organization:delete"}`, org},
		{"data success", audit.NewData(ctx, "get_user", "user", nil), audit.EventData, "get_user", "user", audit.ResultSuccess, "", "{}", ""},
		{"data denied", audit.NewData(ctx, "assign_user_role", "user", errs.New(errs.KindForbidden, "tier_escalation", "no")), audit.EventData,
			"assign_user_role", "user", audit.ResultDenied, "tier_escalation: no", "{}", ""},
		{"system", audit.NewSystem(ctx, "key_rotation", "signing_key", map[string]any{"new_kid": "k2"}), audit.EventSystem,
			"key_rotation", "signing_key", audit.ResultSuccess, "", `{"new_kid":"k2"}`, ""},
		{"system without metadata", audit.NewSystem(ctx, "service_start", "service", nil), audit.EventSystem,
			"service_start", "service", audit.ResultSuccess, "", "{}", ""},
	}
	for _, tc := range cases {
		e := tc.e
		if e.ID == uuid.Nil || e.Timestamp.IsZero() || e.UserID != caller.UserID.String() || e.UserEmail != caller.Email {
			t.Errorf("%s: identity or caller missing: %+v", tc.name, e)
		}
		if e.EventType != tc.typ || e.Action != tc.action || e.Resource != tc.resource || e.Result != tc.result ||
			e.ErrorMessage != tc.message || e.Metadata != tc.meta || e.TargetOrganizationID != tc.targetOr {
			t.Errorf("%s: got %s %s %s %s %q %s %q", tc.name, e.EventType, e.Action, e.Resource, e.Result, e.ErrorMessage, e.Metadata, e.TargetOrganizationID)
		}
	}
}
