package auth_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent/auditlog"
	"github.com/telemetryflow/core/ent/session"
	"github.com/telemetryflow/core/internal/store/seed"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/oas"
)

// TestMFAPolicy: with require_mfa on the organization, a user without a factor reaches only
// enrolment, GET /auth/me and logout (403 mfa_enrollment_required elsewhere) until the factor
// is confirmed, and the same token then reaches everything at once; the platform-wide tier
// rule holds the bootstrap super administrator the same way.
func TestMFAPolicy(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			clock := apitest.NewClock()
			srv := apitest.Start(t, dia, apitest.WithClock(clock.Now))
			email := "mfa-policy@example.com"
			srv.CreateUser(t, apitest.UserSpec{Email: email, Password: mfaPassword, OrgSlug: seed.DemoSlug, Roles: []string{"viewer"}})
			c, _ := srv.Login(t, email, mfaPassword)
			if _, err := c.ListOwnSessions(ctx); err != nil {
				t.Fatalf("before the policy: %v", err)
			}
			admin := srv.LoginAdmin(t)
			org, err := admin.UpdateOrganization(ctx, &oas.OrganizationUpdate{RequireMfa: oas.NewOptBool(true)},
				oas.UpdateOrganizationParams{ID: srv.OrganizationID(t, seed.DemoSlug)})
			if err != nil || !org.RequireMfa {
				t.Fatalf("require_mfa: %v %+v", err, org)
			}

			_, err = c.ListOwnSessions(ctx)
			wantCode(t, err, 403, "mfa_enrollment_required")
			_, err = c.ListUsers(ctx, oas.ListUsersParams{})
			wantCode(t, err, 403, "mfa_enrollment_required")
			if _, err := c.GetMe(ctx); err != nil {
				t.Fatalf("GET /auth/me stays open: %v", err)
			}
			enrol(t, c, clock)
			if _, err := c.ListOwnSessions(ctx); err != nil {
				t.Fatalf("after enrolment: %v", err)
			}
			// Each refusal is an AUTHZ DENIED row with the reason.
			srv.FlushAudit(t)
			denied := srv.DB(t).Ent.AuditLog.Query().Where(auditlog.EventTypeEQ(auditlog.EventTypeAUTHZ),
				auditlog.ErrorMessageEQ("mfa_enrollment_required")).CountX(ctx)
			if denied != 2 {
				t.Fatalf("%d AUTHZ rows for the two refusals", denied)
			}
			// Logout stays open too (a fresh login of a user held to enrolment).
			other := "mfa-policy-2@example.com"
			srv.CreateUser(t, apitest.UserSpec{Email: other, Password: mfaPassword, OrgSlug: seed.DemoSlug, Roles: []string{"viewer"}})
			c2, _ := srv.Login(t, other, mfaPassword)
			if err := c2.Logout(ctx); err != nil {
				t.Fatalf("logout: %v", err)
			}
		})
	}
}

func TestMFAPolicyByTier(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			srv := apitest.Start(t, dia, apitest.WithEnv("TF_REQUIRE_MFA_FOR_TIERS", "1,2"))
			viewer := "tier-viewer@example.com"
			srv.CreateUser(t, apitest.UserSpec{Email: viewer, Password: mfaPassword, Roles: []string{"viewer"}})
			v, _ := srv.Login(t, viewer, mfaPassword)
			if _, err := v.ListOwnSessions(ctx); err != nil {
				t.Fatalf("a viewer is not held: %v", err)
			}
			admin := srv.LoginAdmin(t)
			_, err := admin.ListUsers(ctx, oas.ListUsersParams{})
			wantCode(t, err, 403, "mfa_enrollment_required")
		})
	}
}

// TestSessionsListAndRevoke: a user lists and ends their own sessions; an administrator lists
// and ends another user's, within the acting-on rule; an ended session's token is refused on
// the next request.
func TestSessionsListAndRevoke(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			srv := apitest.Start(t, dia)
			email := "sessions@example.com"
			uid := srv.CreateUser(t, apitest.UserSpec{Email: email, Password: mfaPassword, Roles: []string{"viewer"}})
			c1, t1 := srv.Login(t, email, mfaPassword)
			c2, t2 := srv.Login(t, email, mfaPassword)
			list, err := c1.ListOwnSessions(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(list.Items) != 2 || list.Items[0].ID != sessionOf(t, t2.AccessToken) || list.Items[0].Current ||
				!list.Items[1].Current || list.Items[1].Amr[0] != "pwd" {
				t.Fatalf("own sessions %+v", list.Items)
			}
			// Someone else's session (and an unknown one) answers 404.
			admin := srv.LoginAdmin(t)
			me, err := admin.GetMe(ctx)
			if err != nil {
				t.Fatal(err)
			}
			err = c1.RevokeOwnSession(ctx, oas.RevokeOwnSessionParams{ID: me.SessionID})
			wantCode(t, err, 404, "session_not_found")
			err = c1.RevokeOwnSession(ctx, oas.RevokeOwnSessionParams{ID: uuid.New()})
			wantCode(t, err, 404, "session_not_found")
			if err := c1.RevokeOwnSession(ctx, oas.RevokeOwnSessionParams{ID: sessionOf(t, t2.AccessToken)}); err != nil {
				t.Fatal(err)
			}
			_, err = c2.GetMe(ctx)
			problemOf(t, err, 401)
			if _, err := c1.GetMe(ctx); err != nil {
				t.Fatalf("the other session survives: %v", err)
			}

			// Administrators: an administrator may not act on the super administrator.
			lesser := "lesser-admin@example.com"
			srv.CreateUser(t, apitest.UserSpec{Email: lesser, Password: mfaPassword, Roles: []string{"administrator"}})
			la, _ := srv.Login(t, lesser, mfaPassword)
			_, err = la.ListUserSessions(ctx, oas.ListUserSessionsParams{ID: me.User.ID})
			problemOf(t, err, 403)
			err = la.RevokeUserSessions(ctx, oas.RevokeUserSessionsParams{ID: me.User.ID})
			problemOf(t, err, 403)
			err = la.ResetUserMfa(ctx, oas.ResetUserMfaParams{ID: me.User.ID})
			problemOf(t, err, 403)
			// ... but on the viewer.
			ul, err := la.ListUserSessions(ctx, oas.ListUserSessionsParams{ID: uid})
			if err != nil || len(ul.Items) != 1 || ul.Items[0].ID != sessionOf(t, t1.AccessToken) || ul.Items[0].Current {
				t.Fatalf("admin list: %v %+v", err, ul)
			}
			if err := la.RevokeUserSessions(ctx, oas.RevokeUserSessionsParams{ID: uid}); err != nil {
				t.Fatal(err)
			}
			_, err = c1.GetMe(ctx)
			problemOf(t, err, 401)
			if ul, _ := la.ListUserSessions(ctx, oas.ListUserSessionsParams{ID: uid}); len(ul.Items) != 0 {
				t.Fatalf("sessions left: %+v", ul.Items)
			}
			srv.FlushAudit(t)
			db := srv.DB(t)
			if auditRows(t, db, "session_revoked", "") != 1 || auditRows(t, db, "user_sessions_revoked", "") != 1 {
				t.Fatal("revocations are audited as AUTH")
			}
		})
	}
}

// TestAdminResetsMFA: the reset removes the factor and ends the user's sessions; the next login
// needs the password alone.
func TestAdminResetsMFA(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			clock := apitest.NewClock()
			srv := apitest.Start(t, dia, apitest.WithClock(clock.Now))
			email := "mfa-reset@example.com"
			uid := srv.CreateUser(t, apitest.UserSpec{Email: email, Password: mfaPassword, Roles: []string{"viewer"}})
			c, _ := srv.Login(t, email, mfaPassword)
			enrol(t, c, clock)
			challenge(t, srv, email, mfaPassword)
			if err := srv.LoginAdmin(t).ResetUserMfa(ctx, oas.ResetUserMfaParams{ID: uid}); err != nil {
				t.Fatal(err)
			}
			_, err := c.GetMe(ctx)
			problemOf(t, err, 401)
			srv.Login(t, email, mfaPassword)
			srv.FlushAudit(t)
			if auditRows(t, srv.DB(t), "mfa_reset", "") != 1 {
				t.Fatal("the reset is audited as AUTH")
			}
		})
	}
}

// TestLastSeenIsCoalesced: requests move a session's last_seen_at at most once a minute.
func TestLastSeenIsCoalesced(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			clock := apitest.NewClock()
			srv := apitest.Start(t, dia, apitest.WithClock(clock.Now))
			c, tok := srv.Login(t, apitest.AdminEmail, apitest.AdminPassword)
			sid := sessionOf(t, tok.AccessToken)
			seen := func() time.Time {
				return srv.DB(t).Ent.Session.Query().Where(session.ID(sid)).OnlyX(ctx).LastSeenAt
			}
			opened := seen()
			for range 3 {
				clock.Advance(15 * time.Second)
				if _, err := c.GetMe(ctx); err != nil {
					t.Fatal(err)
				}
			}
			if got := seen(); !got.Equal(opened) {
				t.Fatalf("last_seen_at written within the minute: %v → %v", opened, got)
			}
			clock.Advance(16 * time.Second)
			if _, err := c.GetMe(ctx); err != nil {
				t.Fatal(err)
			}
			moved := seen()
			if !moved.After(opened.Add(time.Minute - time.Second)) {
				t.Fatalf("last_seen_at not moved after a minute: %v → %v", opened, moved)
			}
			clock.Advance(5 * time.Second)
			if _, err := c.GetMe(ctx); err != nil {
				t.Fatal(err)
			}
			if !seen().Equal(moved) {
				t.Fatal("written again within the minute")
			}
		})
	}
}
