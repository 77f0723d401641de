package auth_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/telemetryflow/core/ent/auditlog"
	"github.com/telemetryflow/core/ent/user"
	"github.com/telemetryflow/core/internal/crypto/argon2"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/oas"
)

const mfaPassword = "correct horse battery staple"

// TestMFAEnrolmentLoginAndReplay walks the whole second factor through the generated client on
// a test clock: enrolment, confirmation, the login challenge, verification, amr values kept
// across refresh, refusal of a replayed TOTP code, single-use tokens and recovery codes, and
// audit rows that carry neither codes nor the secret.
func TestMFAEnrolmentLoginAndReplay(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			clock := apitest.NewClock()
			srv := apitest.Start(t, dia, apitest.WithClock(clock.Now))
			email := "mfa-walk@example.com"
			srv.CreateUser(t, apitest.UserSpec{Email: email, Password: mfaPassword, Roles: []string{"viewer"}})
			c, first := srv.Login(t, email, mfaPassword)
			if got := amrOf(t, first.AccessToken); !slices.Equal(got, []string{"pwd"}) {
				t.Fatalf("password login amr %v", got)
			}

			// Enrolment: the secret, its otpauth URL and a PNG QR code as a data URI.
			e, err := c.EnrolTotp(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(e.Secret) != 32 || !strings.HasPrefix(e.OtpauthURL, "otpauth://totp/") || !strings.Contains(e.OtpauthURL, "secret="+e.Secret) ||
				!strings.HasPrefix(e.QrPNG, "data:image/png;base64,iVBORw0KGgo") {
				t.Fatalf("enrolment %+v", e)
			}
			// Pending is not on: the password alone still logs in.
			srv.Login(t, email, mfaPassword)
			app := authenticator{secret: e.Secret, clock: clock}
			_, err = c.ConfirmTotp(ctx, &oas.MfaCodeRequest{Code: wrongCode(app.code(t))})
			wantCode(t, err, 400, "invalid_mfa_code")
			confirmedWith := app.code(t)
			rc, err := c.ConfirmTotp(ctx, &oas.MfaCodeRequest{Code: confirmedWith})
			if err != nil {
				t.Fatal(err)
			}
			if len(rc.RecoveryCodes) != 10 {
				t.Fatalf("%d recovery codes", len(rc.RecoveryCodes))
			}
			_, err = c.EnrolTotp(ctx)
			wantCode(t, err, 409, "mfa_already_enabled")

			// The login challenge: no tokens, an mfa_token.
			token := challenge(t, srv, email, mfaPassword)
			// The code that confirmed the factor is spent: the same step is refused.
			_, err = verify(t, srv, token, confirmedWith)
			wantCode(t, err, 401, "invalid_mfa_code")
			app.nextStep()
			now := app.code(t)
			grant, err := verify(t, srv, token, now)
			if err != nil {
				t.Fatal(err)
			}
			if got := amrOf(t, grant.AccessToken); !slices.Equal(got, []string{"pwd", "otp", "mfa"}) {
				t.Fatalf("totp amr %v", got)
			}
			refreshed, err := srv.Client.RefreshToken(ctx, &oas.RefreshRequest{RefreshToken: grant.RefreshToken})
			if err != nil {
				t.Fatal(err)
			}
			if got := amrOf(t, refreshed.AccessToken); !slices.Equal(got, []string{"pwd", "otp", "mfa"}) {
				t.Fatalf("refreshed amr %v", got)
			}
			// The mfa_token is single use.
			_, err = verify(t, srv, token, now)
			wantCode(t, err, 401, "invalid_mfa_token")
			// A replay of the accepted code on a new challenge, in the same step and in the next.
			_, err = verify(t, srv, challenge(t, srv, email, mfaPassword), now)
			wantCode(t, err, 401, "invalid_mfa_code")
			clock.Advance(10 * time.Second)
			_, err = verify(t, srv, challenge(t, srv, email, mfaPassword), now)
			wantCode(t, err, 401, "invalid_mfa_code")

			// A recovery code works once (as typed: upper case, no dashes), with amr pwd+mfa.
			typed := strings.ToUpper(strings.ReplaceAll(rc.RecoveryCodes[3], "-", ""))
			grant, err = verify(t, srv, challenge(t, srv, email, mfaPassword), typed)
			if err != nil {
				t.Fatal(err)
			}
			if got := amrOf(t, grant.AccessToken); !slices.Equal(got, []string{"pwd", "mfa"}) {
				t.Fatalf("recovery code amr %v", got)
			}
			_, err = verify(t, srv, challenge(t, srv, email, mfaPassword), rc.RecoveryCodes[3])
			wantCode(t, err, 401, "invalid_mfa_code")

			// Regenerated codes replace the old ones.
			app.nextStep()
			mfaClient := srv.WithToken(t, grant.AccessToken)
			fresh, err := mfaClient.RegenerateRecoveryCodes(ctx, &oas.MfaCodeRequest{Code: app.code(t)})
			if err != nil || len(fresh.RecoveryCodes) != 10 {
				t.Fatalf("regenerate: %v", err)
			}
			_, err = verify(t, srv, challenge(t, srv, email, mfaPassword), rc.RecoveryCodes[4])
			wantCode(t, err, 401, "invalid_mfa_code")
			if _, err := verify(t, srv, challenge(t, srv, email, mfaPassword), fresh.RecoveryCodes[0]); err != nil {
				t.Fatal(err)
			}

			// Removing the factor needs a code or the password; a wrong one is refused.
			err = mfaClient.DisableTotp(ctx, &oas.MfaProofRequest{Password: oas.NewOptString("not the password")})
			wantCode(t, err, 400, "invalid_password")
			if err := mfaClient.DisableTotp(ctx, &oas.MfaProofRequest{Password: oas.NewOptString(mfaPassword)}); err != nil {
				t.Fatal(err)
			}
			if _, tokens := srv.Login(t, email, mfaPassword); !slices.Equal(amrOf(t, tokens.AccessToken), []string{"pwd"}) {
				t.Fatal("after removal the password alone logs in")
			}

			// Audited as AUTH, with no code or secret anywhere in the rows.
			srv.FlushAudit(t)
			db := srv.DB(t)
			for action, want := range map[string]int{"mfa_enrol": 1, "mfa_confirm": 1, "mfa_challenge": 7, "mfa_verify": 3, "mfa_recovery_codes": 1, "mfa_disable": 1} {
				if n := auditRows(t, db, action, ""); n < want {
					t.Errorf("%s: %d AUTH rows, want at least %d", action, n, want)
				}
			}
			if n := auditRows(t, db, "mfa_verify", "bad_code"); n < 3 {
				t.Errorf("failed verifications audited: %d", n)
			}
			rows := db.Ent.AuditLog.Query().Where(auditlog.EventTypeEQ(auditlog.EventTypeAUTH)).AllX(ctx)
			secrets := append([]string{e.Secret, confirmedWith, now, typed}, rc.RecoveryCodes...)
			for _, r := range rows {
				all := r.Metadata + r.ErrorMessage + r.UserAgent
				for _, s := range secrets {
					if strings.Contains(all, s) || strings.Contains(all, strings.ReplaceAll(s, "-", "")) {
						t.Fatalf("audit row %s carries a secret: %s", r.Action, all)
					}
				}
			}
		})
	}
}

// wrongCode is a 6-digit code other than c.
func wrongCode(c string) string {
	if c == "000000" {
		return "000001"
	}
	return "000000"
}

// TestMFAWrongCodesLockAndKillTheToken: five wrong codes end the mfa_token and, counted like
// wrong passwords, lock the account for this client; the lock answers the right password too.
func TestMFAWrongCodesLockAndKillTheToken(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			clock := apitest.NewClock()
			srv := apitest.Start(t, dia, apitest.WithClock(clock.Now))
			email := "mfa-lock@example.com"
			srv.CreateUser(t, apitest.UserSpec{Email: email, Password: mfaPassword, Roles: []string{"viewer"}})
			c, _ := srv.Login(t, email, mfaPassword)
			app, _ := enrol(t, c, clock)
			app.nextStep()

			token := challenge(t, srv, email, mfaPassword)
			for i := range 5 {
				_, err := verify(t, srv, token, wrongCode(app.code(t)))
				wantCode(t, err, 401, "invalid_mfa_code")
				if got := srv.DB(t).Ent.User.Query().Where(user.EmailEQ(email)).OnlyX(ctx).FailedLoginCount; got != i+1 {
					t.Fatalf("after %d wrong codes the account counts %d failures", i+1, got)
				}
			}
			// The token is dead even with the right code; the pair is locked.
			_, err := verify(t, srv, token, app.code(t))
			wantCode(t, err, 401, "invalid_mfa_token")
			_, err = srv.Client.Login(ctx, &oas.LoginRequest{Email: email, Password: mfaPassword})
			if p := problemOf(t, err, 401); p.Response.Code != "invalid_credentials" || p.RetryAfter.Or(0) <= 0 {
				t.Fatalf("locked login %+v", p.Response)
			}

			// After the lock, a challenge expires after 5 minutes.
			clock.Advance(16 * time.Minute)
			token = challenge(t, srv, email, mfaPassword)
			clock.Advance(5*time.Minute + time.Second)
			_, err = verify(t, srv, token, app.code(t))
			wantCode(t, err, 401, "invalid_mfa_token")
			_, err = verify(t, srv, "tfm_garbage", app.code(t))
			wantCode(t, err, 401, "invalid_mfa_token")
		})
	}
}

// TestMFADoesNotRevealWhoHasIt: a wrong password answers exactly like an unknown email,
// whether or not the account has a second factor.
func TestMFADoesNotRevealWhoHasIt(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			clock := apitest.NewClock()
			srv := apitest.Start(t, dia, apitest.WithClock(clock.Now))
			email := "mfa-enum@example.com"
			srv.CreateUser(t, apitest.UserSpec{Email: email, Password: mfaPassword, Roles: []string{"viewer"}})
			c, _ := srv.Login(t, email, mfaPassword)
			enrol(t, c, clock)
			answer := func(email string) oas.Problem {
				_, err := srv.Client.Login(ctx, &oas.LoginRequest{Email: email, Password: "a wrong password entirely"})
				p := problemOf(t, err, 401).Response
				p.RequestID, p.Instance = oas.OptString{}, oas.OptString{}
				return p
			}
			withMFA, unknown := answer(email), answer("nobody-here@example.com")
			if withMFA.Code != "invalid_credentials" || withMFA.MfaToken.Set || len(withMFA.MfaMethods) != 0 {
				t.Fatalf("wrong password on an MFA account: %+v", withMFA)
			}
			if withMFA.Code != unknown.Code || withMFA.Detail != unknown.Detail || withMFA.Title != unknown.Title {
				t.Fatalf("answers differ: %+v vs %+v", withMFA, unknown)
			}
		})
	}
}

// TestStepUpNeedsAFreshCode: removing the factor with a TOTP code spends that code, and wrong
// codes at the caller's own MFA operations count toward the lockout (a stolen access token
// cannot guess codes): after five, even the right code answers 429 account_locked.
func TestStepUpNeedsAFreshCode(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			clock := apitest.NewClock()
			srv := apitest.Start(t, dia, apitest.WithClock(clock.Now))
			email := "mfa-stepup@example.com"
			srv.CreateUser(t, apitest.UserSpec{Email: email, Password: mfaPassword, Roles: []string{"viewer"}})
			c, _ := srv.Login(t, email, mfaPassword)
			app, _ := enrol(t, c, clock)
			app.nextStep()
			for range 5 {
				_, err := c.RegenerateRecoveryCodes(ctx, &oas.MfaCodeRequest{Code: wrongCode(app.code(t))})
				wantCode(t, err, 400, "invalid_mfa_code")
			}
			_, err := c.RegenerateRecoveryCodes(ctx, &oas.MfaCodeRequest{Code: app.code(t)})
			wantCode(t, err, 429, "account_locked")

			clock.Advance(16 * time.Minute) // the lock and the access token have run out
			grant, err := verify(t, srv, challenge(t, srv, email, mfaPassword), app.code(t))
			if err != nil {
				t.Fatal(err)
			}
			c = srv.WithToken(t, grant.AccessToken)
			app.nextStep()
			code := app.code(t)
			if err := c.DisableTotp(ctx, &oas.MfaProofRequest{Code: oas.NewOptString(code)}); err != nil {
				t.Fatal(err)
			}
			err = c.DisableTotp(ctx, &oas.MfaProofRequest{Code: oas.NewOptString(code)})
			wantCode(t, err, 409, "mfa_not_enabled")
		})
	}
}

// TestChallengedLoginRehashes: a hash made with older argon2id parameters is replaced at the
// password step of a challenged login too.
func TestChallengedLoginRehashes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := apitest.NewClock()
	srv := apitest.Start(t, dbtest.Dialects[0], apitest.WithClock(clock.Now), apitest.WithEnv("TF_ARGON2_ITERATIONS", "2"))
	insertActiveUser(t, srv, "old-mfa@example.com", "an-old-style-password")
	c, _ := srv.Login(t, "old-mfa@example.com", "an-old-style-password")
	enrol(t, c, clock)
	// Back to the old parameters (t=1), as if the server had raised them since.
	h1, err := argon2.New(argon2.Config{MemoryKiB: 8 * 1024, Iterations: 1, Parallelism: 1})
	if err != nil {
		t.Fatal(err)
	}
	old, err := h1.Hash(ctx, "an-old-style-password")
	if err != nil {
		t.Fatal(err)
	}
	srv.DB(t).Ent.User.Update().Where(user.EmailEQ("old-mfa@example.com")).SetPasswordHash(old).ExecX(ctx)
	challenge(t, srv, "old-mfa@example.com", "an-old-style-password")
	if h := srv.DB(t).Ent.User.Query().Where(user.EmailEQ("old-mfa@example.com")).OnlyX(ctx).PasswordHash; !strings.Contains(h, "t=2") {
		t.Fatalf("hash not upgraded at the challenge: %s", h[:30])
	}
}

// TestDisableNeedsAProof: an empty proof is a validation error, not a counted failure.
func TestDisableNeedsAProof(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := apitest.Start(t, dbtest.Dialects[0])
	c := srv.LoginAdmin(t)
	err := c.DisableTotp(ctx, &oas.MfaProofRequest{})
	if p := problemOf(t, err, 400); p.Response.Code != "malformed_request" { // like an empty patch (minProperties)
		t.Fatalf("%+v", p.Response)
	}
	if got := srv.DB(t).Ent.User.Query().Where(user.EmailEQ(apitest.AdminEmail)).OnlyX(ctx).FailedLoginCount; got != 0 {
		t.Fatalf("an empty proof counted %d failures", got)
	}
}

// TestMeTellsTheSecondFactor: GET /auth/me says whether the caller has a confirmed second
// factor and how the calling session authenticated, so a client (the console) can show it.
func TestMeTellsTheSecondFactor(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			clock := apitest.NewClock()
			srv := apitest.Start(t, dia, apitest.WithClock(clock.Now))
			email := "mfa-me@example.com"
			srv.CreateUser(t, apitest.UserSpec{Email: email, Password: mfaPassword, Roles: []string{"viewer"}})
			c, _ := srv.Login(t, email, mfaPassword)
			me, err := c.GetMe(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if me.MfaEnabled.Value || !slices.Equal(me.Amr, []string{"pwd"}) {
				t.Fatalf("before enrolment: mfa_enabled %v amr %v", me.MfaEnabled, me.Amr)
			}
			if _, err := c.EnrolTotp(ctx); err != nil {
				t.Fatal(err)
			}
			if me, _ = c.GetMe(ctx); me.MfaEnabled.Value {
				t.Fatal("a pending factor reported as enabled")
			}
			app, _ := enrol(t, c, clock)
			app.nextStep()
			tok, err := verify(t, srv, challenge(t, srv, email, mfaPassword), app.code(t))
			if err != nil {
				t.Fatal(err)
			}
			me, err = srv.WithToken(t, tok.AccessToken).GetMe(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !me.MfaEnabled.Value || !slices.Equal(me.Amr, []string{"pwd", "otp", "mfa"}) {
				t.Fatalf("after an MFA login: mfa_enabled %v amr %v", me.MfaEnabled, me.Amr)
			}
		})
	}
}
