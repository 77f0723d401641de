package auth

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/crypto/totp"
	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/platform/reqinfo"
)

// The second step of a login (docs/mfa-and-sessions.md): a right password on an account with
// a confirmed factor answers 401 mfa_required carrying an mfa_token instead of tokens; the
// token and a code go to POST /auth/mfa/verify, which opens the session. The challenge is
// only ever reached with the right password, so it tells nothing to someone without it: a
// wrong password answers invalid_credentials whether or not the account has MFA.

// ChallengeError is the cause of the mfa_required answer: what the client needs for the
// second step. The problem mapping (internal/httpapi/problem.go) adds it to the body.
type ChallengeError struct {
	Token     string
	Methods   []string
	ExpiresIn time.Duration
}

func (e *ChallengeError) Error() string { return "a second factor is required" }

// CodeMFARequired is the problem code of the challenge answer.
const CodeMFARequired = "mfa_required"

var (
	errInvalidMFAToken = errs.New(errs.KindUnauthenticated, "invalid_mfa_token",
		"The MFA token is invalid, expired or used up; log in again.")
	errInvalidMFACode = func(retry time.Duration) error {
		return &errs.Error{Kind: errs.KindUnauthenticated, Code: "invalid_mfa_code", Message: "The code is incorrect.", RetryAfter: retry}
	}
	// errCodeSpent rolls back a verification whose TOTP step or recovery code another request
	// used first; errChallengeSpent one whose challenge did.
	errCodeSpent      = errors.New("code already used")
	errChallengeSpent = errors.New("challenge already used")
)

// challengeIfEnrolled answers the challenge when the user has a confirmed factor (nil when
// the login goes ahead with the password alone). A re-hash the password step called for is
// stored with the challenge: the password was verified, whatever the second step brings.
func (s *Service) challengeIfEnrolled(ctx context.Context, a *loginAttempt, u *port.PlacedUser, newHash string) error {
	if !u.MFAEnabled {
		return nil
	}
	raw, hash, c := authn.OpenChallenge(u.ID, a.now)
	s.pruneChallenges(ctx, a.now)
	err := s.cfg.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		if newHash != "" {
			if err := tx.Credentials().Rehash(ctx, u.ID, newHash); err != nil {
				return err
			}
		}
		return tx.MFA().OpenChallenge(ctx, c, hash)
	})
	if err != nil {
		return err
	}
	ev := audit.NewAuth(ctx, "mfa_challenge", "session", audit.ResultSuccess)
	ev.UserEmail, ev.UserID, ev.UserFirstName, ev.UserLastName = u.Email, u.ID.String(), u.FirstName, u.LastName
	ev.OrganizationID, ev.TenantID = u.OrganizationID.String(), u.TenantID.String()
	if newHash != "" {
		ev.WithMetadata(map[string]any{"password_rehashed": true})
	}
	a.ok, a.metric = &ev, loginMFARequired
	return errs.Wrap(errs.KindUnauthenticated, CodeMFARequired,
		"A second factor is required: send the mfa_token and a code to POST /api/v2/auth/mfa/verify.",
		&ChallengeError{Token: raw, Methods: []string{authn.MethodTOTP, authn.MethodRecoveryCode}, ExpiresIn: authn.ChallengeTTL})
}

// pruneChallenges deletes expired challenges, at most once a minute per instance.
func (s *Service) pruneChallenges(ctx context.Context, now time.Time) {
	if !s.challengePruner.due(now) {
		return
	}
	if err := s.cfg.Store.MFA().PruneChallenges(ctx, now.Add(-authn.ChallengeTTL)); err != nil {
		s.cfg.Log.WarnContext(ctx, "pruning expired MFA challenges", "error", err)
	}
}

// VerifyMFA completes a challenged login with a TOTP code or a recovery code
// (POST /auth/mfa/verify). Wrong codes count toward the account lockout like wrong passwords
// and toward the challenge's own limit; a TOTP step and a recovery code are each accepted once.
func (s *Service) VerifyMFA(ctx context.Context, token, code string) (*Grant, error) {
	a := &loginAttempt{now: s.now(), failed: audit.NewAuth(ctx, "mfa_verify", "session", audit.ResultFailure)}
	grant, err := s.verifyMFA(ctx, a, token, code)
	s.recordLogin(ctx, a)
	return grant, err
}

func (s *Service) verifyMFA(ctx context.Context, a *loginAttempt, token, code string) (*Grant, error) {
	client := reqinfo.From(ctx).ClientKey()
	if ok, wait := s.limiter.Allow(ctx, client, a.now); !ok {
		a.failed.ErrorMessage, a.metric = "rate_limited", loginRateLimited
		return nil, &errs.Error{Kind: errs.KindRateLimited, Code: errs.CodeRateLimited,
			Message: "Too many login attempts from this address; retry later.", RetryAfter: wait}
	}
	c, u, f, err := s.challengeOf(ctx, token, a.now)
	if err != nil {
		if errors.Is(err, errInvalidMFAToken) {
			a.failed.ErrorMessage, a.metric = "invalid_mfa_token", loginInvalid
		}
		return nil, err
	}
	a.email = u.Email
	a.key = authn.LockKey{Account: authn.AccountKey(u.Email), Client: client, UserID: u.ID}
	a.failed.UserID, a.failed.UserEmail, a.failed.UserFirstName, a.failed.UserLastName = u.ID.String(), u.Email, u.FirstName, u.LastName
	a.failed.OrganizationID = u.OrganizationID.String()
	locks, err := s.locksOf(ctx, a.key, u)
	if err != nil {
		return nil, err
	}
	a.before = locks
	method, spend, ok, err := s.checkCode(f, code, a.now)
	if err != nil {
		return nil, err
	}
	verdict := s.cfg.Lockout.Decide(authn.Attempt{User: &u.User, HierarchyActive: u.HierarchyActive, PasswordMatches: ok, Locks: locks}, a.now)
	switch {
	case verdict.CountFailure:
		return nil, s.failCode(ctx, a, c.ID, locks, verdict)
	case verdict.Reason != "":
		a.failed.ErrorMessage, a.metric = verdict.Reason, loginInactive
		if verdict.Locked {
			a.metric = loginLocked
		}
		return nil, errInvalidMFACode(verdict.RetryAfter)
	}
	a.method = method
	a.spend = func(ctx context.Context, tx port.Tx) error {
		if spent, err := tx.MFA().SpendChallenge(ctx, c.ID, a.now); err != nil || !spent {
			return errors.Join(err, errChallengeSpent)
		}
		return spend(ctx, tx)
	}
	grant, err := s.openSession(ctx, a, u, "")
	switch {
	case errors.Is(err, errChallengeSpent):
		a.failed.ErrorMessage, a.metric = "invalid_mfa_token", loginInvalid
		return nil, errInvalidMFAToken
	case errors.Is(err, errCodeSpent):
		return nil, s.failCode(ctx, a, c.ID, locks, authn.Verdict{Reason: "bad_code", CountFailure: true})
	case err != nil:
		return nil, err
	}
	a.ok.Action = "mfa_verify"
	a.ok.WithMetadata(map[string]any{"method": method})
	return grant, nil
}

// challengeOf finds a usable challenge, its user and their confirmed factor; anything else is
// errInvalidMFAToken.
func (s *Service) challengeOf(ctx context.Context, token string, now time.Time) (*authn.MFAChallenge, *port.PlacedUser, *authn.TOTPFactor, error) {
	if !authn.WellFormedMFAToken(token) {
		return nil, nil, nil, errInvalidMFAToken
	}
	c, err := s.cfg.Store.MFA().Challenge(ctx, authn.HashMFAToken(token))
	if errs.IsKind(err, errs.KindNotFound) || (err == nil && !c.Usable(now)) {
		return nil, nil, nil, errInvalidMFAToken
	}
	if err != nil {
		return nil, nil, nil, err
	}
	u, err := s.cfg.Store.Credentials().Get(ctx, c.UserID)
	if errs.IsKind(err, errs.KindNotFound) {
		return nil, nil, nil, errInvalidMFAToken
	}
	if err != nil {
		return nil, nil, nil, err
	}
	f, err := s.cfg.Store.MFA().TOTP(ctx, u.ID)
	if errs.IsKind(err, errs.KindNotFound) || (err == nil && !f.Enabled()) { // reset since the password step
		return nil, nil, nil, errInvalidMFAToken
	}
	return c, u, f, err
}

// checkCode says whether code may be right and how it is used up inside the unit of work that
// opens the session. A TOTP code is checked here (against steps after the last accepted one);
// a recovery code only by its use, which is one conditional update.
func (s *Service) checkCode(f *authn.TOTPFactor, code string, now time.Time) (method string, spend func(context.Context, port.Tx) error, ok bool, err error) {
	if authn.IsTOTPCode(code) {
		secret, err := s.openSecret(f)
		if err != nil {
			return "", nil, false, err
		}
		step, ok, err := totp.Match(secret, code, now, f.LastStep)
		if err != nil {
			return "", nil, false, errs.Internal(err)
		}
		return authn.MethodTOTP, func(ctx context.Context, tx port.Tx) error {
			used, err := tx.MFA().UseStep(ctx, f.UserID, step)
			if err == nil && !used {
				err = errCodeSpent
			}
			return err
		}, ok, nil
	}
	if norm, ok := authn.NormalizeRecoveryCode(code); ok {
		return authn.MethodRecoveryCode, func(ctx context.Context, tx port.Tx) error {
			used, err := tx.MFA().UseRecoveryCode(ctx, f.UserID, authn.HashRecoveryCode(norm), now)
			if err == nil && !used {
				err = errCodeSpent
			}
			return err
		}, true, nil
	}
	return "", nil, false, nil
}

// failCode counts a wrong code: on the challenge (it dies at authn.ChallengeMaxFailures) and
// toward the lockout, exactly like a wrong password.
func (s *Service) failCode(ctx context.Context, a *loginAttempt, challenge uuid.UUID, locks authn.Locks, v authn.Verdict) error {
	if err := s.cfg.Store.MFA().FailChallenge(ctx, challenge); err != nil {
		return err
	}
	var err error
	if a.failure, err = s.countFailure(ctx, a.key, locks, a.now); err != nil {
		return err
	}
	reason := v.Reason
	if reason == authn.ReasonBadPassword {
		reason = "bad_code"
	}
	a.failed.ErrorMessage, a.metric = reason, loginInvalid
	if v.Locked || a.failure.PairLocked || a.failure.AccountLocked {
		a.metric = loginLocked
	}
	return errInvalidMFACode(s.cfg.Lockout.Wait(a.failure.After, a.now))
}

// openSecret unseals a factor's secret.
func (s *Service) openSecret(f *authn.TOTPFactor) (string, error) {
	if s.cfg.Secrets == nil {
		return "", errMFAUnavailable
	}
	b, err := s.cfg.Secrets.Open(f.SecretSealed, authn.SealingContext(f.UserID))
	if err != nil {
		return "", errs.Internal(err)
	}
	return string(b), nil
}

var errMFAUnavailable = errs.New(errs.KindUnavailable, "mfa_unavailable", "Second factors are not configured on this server.")
