package auth_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent/outboxevent"
	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/oas"
)

// Logins, logouts and password changes commit their events to the outbox with the change, and
// the events reach the session cache like every IAM change: with sessions cached for an hour,
// a password change ends the user's other sessions on the very next request.
func TestAuthChangesTravelThroughTheOutbox(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			srv := apitest.Start(t, dia, apitest.WithEnv("TF_SESSION_CACHE_TTL", "1h"))
			const pw, next = "a-test-password-123", "another-password-456"
			userID := srv.CreateUser(t, apitest.UserSpec{Email: "events@example.com", Password: pw, Roles: []string{rbac.RoleViewer}})
			here, first := srv.Login(t, "events@example.com", pw)
			there, _ := srv.Login(t, "events@example.com", pw)
			if _, err := there.GetMe(ctx); err != nil { // the other session is now cached
				t.Fatal(err)
			}
			if err := here.ChangeOwnPassword(ctx, &oas.ChangePasswordRequest{CurrentPassword: pw, NewPassword: next}); err != nil {
				t.Fatal(err)
			}
			if _, err := there.GetMe(ctx); !isStatus(err, 401) {
				t.Fatalf("the other session after the password change: %v, want 401", err)
			}
			if _, err := here.GetMe(ctx); err != nil {
				t.Fatalf("the changing session was ended: %v", err)
			}
			if err := here.Logout(ctx); err != nil {
				t.Fatal(err)
			}

			// The events, in order, each delivered (marked dispatched) in the request.
			rows := srv.DB(t).Ent.OutboxEvent.Query().Where(outboxevent.AggregateTypeIn("session", "user")).
				Order(outboxevent.ByOccurredAt(), outboxevent.ByID()).AllX(ctx)
			var got []string
			for _, r := range rows {
				var p struct {
					UserID    uuid.UUID `json:"user_id"`
					SessionID uuid.UUID `json:"session_id"`
					Reason    string    `json:"reason"`
				}
				if err := json.Unmarshal(r.Payload, &p); err != nil {
					t.Fatal(err)
				}
				if p.UserID != userID {
					continue
				}
				if r.DispatchedAt == nil {
					t.Errorf("%s v%d was not delivered", r.EventType, r.EventVersion)
				}
				if r.EventType == "SessionEnded" && (p.SessionID != sessionOf(t, first.AccessToken) || p.Reason != "logout") {
					t.Errorf("SessionEnded %+v", p)
				}
				got = append(got, r.EventType)
			}
			want := []string{"SessionOpened", "SessionOpened", "PasswordChanged", "SessionEnded"}
			if len(got) != len(want) {
				t.Fatalf("events %v, want %v", got, want)
			}
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("events %v, want %v", got, want)
				}
			}
		})
	}
}
