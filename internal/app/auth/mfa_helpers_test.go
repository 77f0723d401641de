package auth_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/telemetryflow/core/internal/crypto/accesstoken"
	"github.com/telemetryflow/core/internal/crypto/totp"
	"github.com/telemetryflow/core/internal/testutil/apitest"
	"github.com/telemetryflow/core/oas"
)

// authenticator plays the user's authenticator app on the test clock.
type authenticator struct {
	secret string
	clock  *apitest.Clock
}

// code is the code of the current step of the clock.
func (a authenticator) code(t *testing.T) string {
	t.Helper()
	c, err := totp.Code(a.secret, totp.Step(a.clock.Now()))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// nextStep moves the clock to the start of the next 30 s step, so a new code is due.
func (a authenticator) nextStep() {
	now := a.clock.Now()
	next := time.Unix((totp.Step(now)+1)*totp.Period, 0)
	a.clock.Advance(next.Sub(now))
}

// enrol enrols and confirms a TOTP factor for the client's user and answers the app and the
// recovery codes.
func enrol(t *testing.T, c *oas.Client, clock *apitest.Clock) (authenticator, []string) {
	t.Helper()
	ctx := context.Background()
	e, err := c.EnrolTotp(ctx)
	if err != nil {
		t.Fatal(err)
	}
	app := authenticator{secret: e.Secret, clock: clock}
	rc, err := c.ConfirmTotp(ctx, &oas.MfaCodeRequest{Code: app.code(t)})
	if err != nil {
		t.Fatal(err)
	}
	return app, rc.RecoveryCodes
}

// challenge logs in with the right password of an account with MFA and answers the mfa_token.
func challenge(t *testing.T, srv *apitest.Server, email, pw string) string {
	t.Helper()
	_, err := srv.Client.Login(context.Background(), &oas.LoginRequest{Email: email, Password: pw})
	p := problemOf(t, err, 401)
	if p.Response.Code != "mfa_required" || !p.Response.MfaToken.Set ||
		!slices.Equal(p.Response.MfaMethods, []string{"totp", "recovery_code"}) || p.Response.MfaExpiresIn.Or(0) != 300 {
		t.Fatalf("challenge answer %+v", p.Response)
	}
	return p.Response.MfaToken.Value
}

// verify answers the challenge; it returns the tokens or the problem.
func verify(t *testing.T, srv *apitest.Server, token, code string) (*oas.TokenResponse, error) {
	t.Helper()
	return srv.Client.VerifyMfa(context.Background(), &oas.MfaVerifyRequest{MfaToken: token, Code: code})
}

// wantCode asserts a 401 problem with the code.
func wantCode(t *testing.T, err error, status int, code string) {
	t.Helper()
	if p := problemOf(t, err, status); p.Response.Code != code {
		t.Fatalf("code %q, want %q (%+v)", p.Response.Code, code, p.Response)
	}
}

// amrOf reads the amr claim of an access token.
func amrOf(t *testing.T, raw string) []string {
	t.Helper()
	var c accesstoken.Claims
	if _, _, err := jwt.NewParser().ParseUnverified(raw, &c); err != nil {
		t.Fatal(err)
	}
	return c.AMR
}
