package auth_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/go-faster/jx"

	"github.com/telemetryflow/core/ent/session"
	"github.com/telemetryflow/core/ent/user"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/oas"
)

func TestRefreshRotationAndReuseDetection(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			srv := apitest.Start(t, dia)
			db := srv.DB(t)
			_, first := srv.Login(t, apitest.AdminEmail, apitest.AdminPassword)

			second, err := srv.Client.RefreshToken(ctx, &oas.RefreshRequest{RefreshToken: first.RefreshToken})
			if err != nil {
				t.Fatal(err)
			}
			if second.RefreshToken == first.RefreshToken || second.AccessToken == "" || second.TokenType != "Bearer" || second.ExpiresIn != 900 {
				t.Fatalf("refresh response %+v", second)
			}
			if sessionOf(t, second.AccessToken) != sessionOf(t, first.AccessToken) {
				t.Fatal("refresh must stay in the same session")
			}
			third, err := srv.Client.RefreshToken(ctx, &oas.RefreshRequest{RefreshToken: second.RefreshToken})
			if err != nil {
				t.Fatal(err)
			}
			// The new access token works.
			if _, err := srv.WithToken(t, third.AccessToken).ListUsers(ctx, oas.ListUsersParams{}); isStatus(err, 401) {
				t.Fatal("fresh access token rejected")
			}

			// Presenting the spent first token again: reuse → the whole session ends.
			_, err = srv.Client.RefreshToken(ctx, &oas.RefreshRequest{RefreshToken: first.RefreshToken})
			if p := problemOf(t, err, 401); p.Response.Code != "invalid_refresh_token" {
				t.Fatalf("reuse: %+v", p.Response)
			}
			if n := auditRows(t, db, "refresh_token_reuse", "session_revoked"); n != 1 {
				t.Fatalf("reuse audit rows: %d", n)
			}
			// Even the legitimately newest refresh token and access token are dead now.
			_, err = srv.Client.RefreshToken(ctx, &oas.RefreshRequest{RefreshToken: third.RefreshToken})
			problemOf(t, err, 401)
			_, err = srv.WithToken(t, third.AccessToken).ListUsers(ctx, oas.ListUsersParams{})
			problemOf(t, err, 401)
			se := db.Ent.Session.Query().Where(session.ID(sessionOf(t, first.AccessToken))).OnlyX(ctx)
			if se.RevokedAt == nil || se.RevokeReason != "refresh_token_reuse" {
				t.Fatalf("session %+v", se)
			}

			// Garbage and unknown tokens.
			for _, bad := range []string{"x", "tfr_" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"} {
				_, err = srv.Client.RefreshToken(ctx, &oas.RefreshRequest{RefreshToken: bad})
				problemOf(t, err, 401)
			}
			if n := auditRows(t, db, "refresh", ""); n < 4 {
				t.Fatalf("refresh audit rows: %d", n)
			}
		})
	}
}

func TestRefreshHonoursAbsoluteSessionLifetime(t *testing.T) {
	t.Parallel()
	clock := apitest.NewClock()
	srv := apitest.Start(t, dbtest.Dialects[0], apitest.WithClock(clock.Now),
		apitest.WithEnv("TF_REFRESH_TOKEN_TTL", "1h"), apitest.WithEnv("TF_SESSION_MAX_AGE", "2h"))
	ctx := context.Background()
	_, tok := srv.Login(t, apitest.AdminEmail, apitest.AdminPassword)
	rt := tok.RefreshToken
	// Sliding: refreshing every 50 minutes keeps the session alive…
	for range 2 {
		clock.Advance(50 * time.Minute)
		res, err := srv.Client.RefreshToken(ctx, &oas.RefreshRequest{RefreshToken: rt})
		if err != nil {
			t.Fatal(err)
		}
		rt = res.RefreshToken
	}
	// …but never past the absolute limit (2h after login).
	clock.Advance(25 * time.Minute)
	_, err := srv.Client.RefreshToken(ctx, &oas.RefreshRequest{RefreshToken: rt})
	problemOf(t, err, 401)

	// And an unused refresh token expires after the sliding window.
	_, tok = srv.Login(t, apitest.AdminEmail, apitest.AdminPassword)
	clock.Advance(61 * time.Minute)
	_, err = srv.Client.RefreshToken(ctx, &oas.RefreshRequest{RefreshToken: tok.RefreshToken})
	problemOf(t, err, 401)
}

func TestLogoutEndsOnlyThatSession(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			srv := apitest.Start(t, dia)
			a, ta := srv.Login(t, apitest.AdminEmail, apitest.AdminPassword)
			b, _ := srv.Login(t, apitest.AdminEmail, apitest.AdminPassword)
			if err := a.Logout(ctx); err != nil {
				t.Fatal(err)
			}
			_, err := a.ListUsers(ctx, oas.ListUsersParams{})
			problemOf(t, err, 401)
			if err := a.Logout(ctx); !isStatus(err, 401) {
				t.Fatalf("second logout: %v", err)
			}
			_, err = srv.Client.RefreshToken(ctx, &oas.RefreshRequest{RefreshToken: ta.RefreshToken})
			problemOf(t, err, 401)
			if _, err := b.ListUsers(ctx, oas.ListUsersParams{}); isStatus(err, 401) {
				t.Fatal("the other session ended too")
			}
			if n := auditRows(t, srv.DB(t), "logout", ""); n != 1 {
				t.Fatalf("logout audit rows %d", n)
			}
		})
	}
}

func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			srv := apitest.Start(t, dia)
			insertActiveUser(t, srv, "pat@example.com", "original-password-1")
			current, tc := srv.Login(t, "pat@example.com", "original-password-1")
			other, to := srv.Login(t, "pat@example.com", "original-password-1")

			bad := []struct {
				name        string
				req         oas.ChangePasswordRequest
				status      int
				code, field string
			}{
				{"wrong current", oas.ChangePasswordRequest{CurrentPassword: "nope", NewPassword: "brand-new-password-2"}, 400, "invalid_current_password", "current_password"},
				{"too short", oas.ChangePasswordRequest{CurrentPassword: "original-password-1", NewPassword: "short"}, 400, "validation_failed", "new_password"},
				{"is the email", oas.ChangePasswordRequest{CurrentPassword: "original-password-1", NewPassword: "PAT@example.com"}, 400, "validation_failed", "new_password"},
				{"unchanged", oas.ChangePasswordRequest{CurrentPassword: "original-password-1", NewPassword: "original-password-1"}, 400, "validation_failed", "new_password"},
			}
			for _, tc := range bad {
				err := current.ChangeOwnPassword(ctx, &tc.req)
				p := problemOf(t, err, tc.status)
				if p.Response.Code != tc.code || len(p.Response.Errors) != 1 || p.Response.Errors[0].Field != tc.field {
					t.Errorf("%s: %+v", tc.name, p.Response)
				}
			}
			if err := current.ChangeOwnPassword(ctx, &oas.ChangePasswordRequest{CurrentPassword: "original-password-1", NewPassword: "brand-new-password-2"}); err != nil {
				t.Fatal(err)
			}
			if _, err := current.ListUsers(ctx, oas.ListUsersParams{}); isStatus(err, 401) {
				t.Fatal("the session that changed the password must survive")
			}
			_, err := other.ListUsers(ctx, oas.ListUsersParams{})
			problemOf(t, err, 401)
			_, err = srv.Client.RefreshToken(ctx, &oas.RefreshRequest{RefreshToken: to.RefreshToken})
			problemOf(t, err, 401)
			if _, err := srv.Client.RefreshToken(ctx, &oas.RefreshRequest{RefreshToken: tc.RefreshToken}); err != nil {
				t.Fatalf("own refresh token: %v", err)
			}
			_, err = srv.Client.Login(ctx, &oas.LoginRequest{Email: "pat@example.com", Password: "original-password-1"})
			problemOf(t, err, 401)
			srv.Login(t, "pat@example.com", "brand-new-password-2")
			u := srv.DB(t).Ent.User.Query().Where(user.EmailEQ("pat@example.com")).OnlyX(ctx)
			if u.PasswordChangedAt == nil {
				t.Fatal("password_changed_at not set")
			}
		})
	}
}

func TestLockoutAndExpiry(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			clock := apitest.NewClock()
			srv := apitest.Start(t, dia, apitest.WithClock(clock.Now),
				apitest.WithEnv("TF_LOCKOUT_THRESHOLD", "3"), apitest.WithEnv("TF_LOCKOUT_DURATION", "10m"))
			insertActiveUser(t, srv, "lock@example.com", "the-right-password")
			login := func(pw string) error {
				_, err := srv.Client.Login(ctx, &oas.LoginRequest{Email: "lock@example.com", Password: pw})
				return err
			}
			for i := 1; i <= 2; i++ {
				if p := problemOf(t, login("wrong"), 401); p.RetryAfter.Set {
					t.Fatalf("attempt %d: Retry-After before the lock", i)
				}
			}
			p := problemOf(t, login("wrong"), 401)
			if v, ok := p.RetryAfter.Get(); !ok || v != 600 {
				t.Fatalf("third failure must lock for 600 s, Retry-After %v", p.RetryAfter)
			}
			// Locked: even the right password fails, with the same error.
			clock.Advance(9 * time.Minute)
			p = problemOf(t, login("the-right-password"), 401)
			if p.Response.Code != "invalid_credentials" {
				t.Fatalf("locked: %+v", p.Response)
			}
			if v, _ := p.RetryAfter.Get(); v != 60 {
				t.Fatalf("Retry-After while locked: %d", v)
			}
			// After expiry the right password works and the count starts over.
			clock.Advance(61 * time.Second)
			if err := login("the-right-password"); err != nil {
				t.Fatalf("after expiry: %v", err)
			}
			db := srv.DB(t)
			if n := auditRows(t, db, "account_locked", "too_many_failures"); n != 1 {
				t.Fatalf("lockout audit rows %d", n)
			}
			u := db.Ent.User.Query().Where(user.EmailEQ("lock@example.com")).OnlyX(ctx)
			if u.FailedLoginCount != 0 || u.LockedUntil != nil || u.LastLoginAt == nil {
				t.Fatalf("after success: failures %d locked %v last login %v", u.FailedLoginCount, u.LockedUntil, u.LastLoginAt)
			}
		})
	}
}

// Unknown email, wrong password and locked account answer identically (status, body apart from
// the request id, headers); unknown emails even get a phantom lockout.
func TestEnumerationResistance(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			srv := apitest.Start(t, dia, apitest.WithEnv("TF_LOCKOUT_THRESHOLD", "2"))
			insertActiveUser(t, srv, "real@example.com", "the-right-password")
			insertActiveUser(t, srv, "inactive@example.com", "the-right-password")
			srv.DB(t).Ent.User.Update().Where(user.EmailEQ("inactive@example.com")).SetStatus(user.StatusInactive).ExecX(ctx)
			attempt := func(email, pw string) *oas.ProblemStatusCodeWithHeaders {
				_, err := srv.Client.Login(ctx, &oas.LoginRequest{Email: email, Password: pw})
				p := problemOf(t, err, 401)
				p.Response.RequestID = oas.OptString{}
				return p
			}
			body := func(p *oas.ProblemStatusCodeWithHeaders) string {
				var e jx.Encoder
				p.Response.Encode(&e)
				return e.String()
			}
			unknown := attempt("nobody@example.com", "whatever-password")
			wrong := attempt("real@example.com", "whatever-password")
			inactive := attempt("inactive@example.com", "the-right-password")
			if body(unknown) != body(wrong) || body(wrong) != body(inactive) || unknown.RetryAfter != wrong.RetryAfter {
				t.Fatalf("responses differ:\n%s\n%s\n%s", body(unknown), body(wrong), body(inactive))
			}
			// Second failure locks both the real and the phantom account, identically.
			lockedUnknown := attempt("nobody@example.com", "whatever-password")
			lockedReal := attempt("real@example.com", "whatever-password")
			if body(lockedUnknown) != body(lockedReal) || !lockedUnknown.RetryAfter.Set || lockedUnknown.RetryAfter != lockedReal.RetryAfter {
				t.Fatalf("lock responses differ: %+v vs %+v", lockedUnknown, lockedReal)
			}
		})
	}
}

func TestLoginRateLimitPerAddress(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := apitest.Start(t, dbtest.Dialects[0], apitest.WithEnv("TF_LOGIN_RATE_PER_IP", "3"))
	for i := range 3 {
		_, err := srv.Client.Login(ctx, &oas.LoginRequest{Email: "x@example.com", Password: "y"})
		problemOf(t, err, 401)
		_ = i
	}
	_, err := srv.Client.Login(ctx, &oas.LoginRequest{Email: apitest.AdminEmail, Password: apitest.AdminPassword})
	p := problemOf(t, err, http.StatusTooManyRequests)
	if v, ok := p.RetryAfter.Get(); !ok || v < 1 || v > 20 {
		t.Fatalf("Retry-After %v", p.RetryAfter)
	}
	if n := auditRows(t, srv.DB(t), "login", "rate_limited"); n != 1 {
		t.Fatalf("rate-limit audit rows %d", n)
	}
}

func TestLoginSuccessIsAuditedAndRehashesOldParameters(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := apitest.Start(t, dbtest.Dialects[1], apitest.WithEnv("TF_ARGON2_ITERATIONS", "2"))
	// insertActiveUser hashes with t=1; the server runs with t=2.
	insertActiveUser(t, srv, "old@example.com", "an-old-style-password")
	_, tok := srv.Login(t, "old@example.com", "an-old-style-password")
	if tok.User.Email != "old@example.com" || tok.User.Status != oas.UserStatusActive {
		t.Fatalf("user in token response %+v", tok.User)
	}
	db := srv.DB(t)
	u := db.Ent.User.Query().Where(user.EmailEQ("old@example.com")).OnlyX(ctx)
	if want := "$argon2id$v=19$m=8192,t=2,p=1$"; u.PasswordHash[:len(want)] != want {
		t.Fatalf("hash not upgraded: %s", u.PasswordHash[:30])
	}
	if n := auditRows(t, db, "login", ""); n < 1 {
		t.Fatal("no login audit row")
	}
	srv.Login(t, "old@example.com", "an-old-style-password")
}

func TestJWKSPublishesTheSigningKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := apitest.Start(t, dbtest.Dialects[0])
	set, err := srv.Client.GetJWKS(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Keys) != 1 || set.Keys[0].Kty != "OKP" || set.Keys[0].Crv != "Ed25519" || set.Keys[0].Alg != "EdDSA" || set.Keys[0].Use != "sig" {
		t.Fatalf("jwks %+v", set)
	}
	_, tok := srv.Login(t, apitest.AdminEmail, apitest.AdminPassword)
	if kid := kidOf(t, tok.AccessToken); kid != set.Keys[0].Kid {
		t.Fatalf("token kid %s not in JWKS %s", kid, set.Keys[0].Kid)
	}
}

func isStatus(err error, status int) bool {
	var p *oas.ProblemStatusCodeWithHeaders
	return err != nil && asProblem(err, &p) && p.StatusCode == status
}
