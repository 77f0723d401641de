package auth

import (
	"context"
	"errors"
	"time"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/crypto/totp"
	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/platform/principal"
	"github.com/telemetryflow/core/internal/platform/reqinfo"
)

// The caller's own second factor (docs/mfa-and-sessions.md): enrol (a pending factor), confirm
// with a first code (MFA is on from then, recovery codes shown once), regenerate the recovery
// codes (with a code), remove (with a code or the password). Every step is audited as AUTH
// without codes or secrets.

var (
	errMFAAlreadyEnabled = errs.New(errs.KindConflict, "mfa_already_enabled", "A second factor is already enabled; remove it first.")
	errMFANotPending     = errs.New(errs.KindConflict, "mfa_not_pending", "There is no second factor waiting for confirmation; enrol first.")
	errMFANotEnabled     = errs.New(errs.KindConflict, "mfa_not_enabled", "No second factor is enabled.")
	errWrongCode         = func() error {
		e := errs.Invalid(errs.FieldError{Field: "code", Message: "is incorrect"})
		e.Code = "invalid_mfa_code"
		return e
	}
)

// EnrolTOTP starts (or restarts) the caller's TOTP enrolment: a fresh secret, sealed at rest,
// and what the authenticator app needs (POST /auth/mfa/totp). It refuses while a confirmed
// factor exists.
func (s *Service) EnrolTOTP(ctx context.Context) (*totp.Enrolment, error) {
	p := principal.From(ctx)
	if p == nil {
		return nil, errNotLoggedIn
	}
	if s.cfg.Secrets == nil {
		return nil, errMFAUnavailable
	}
	en, err := totp.New(s.cfg.TOTPIssuer, p.Email)
	if err != nil {
		return nil, errs.Internal(err)
	}
	f := authn.TOTPFactor{UserID: p.UserID, SecretSealed: s.cfg.Secrets.Seal([]byte(en.Secret), authn.SealingContext(p.UserID)), CreatedAt: s.now()}
	var put bool
	err = s.cfg.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) (err error) {
		put, err = tx.MFA().PutPendingTOTP(ctx, f)
		return err
	})
	if err != nil {
		return nil, err
	}
	if !put {
		s.recordMFA(ctx, "mfa_enrol", "mfa_already_enabled", nil)
		return nil, errMFAAlreadyEnabled
	}
	s.recordMFA(ctx, "mfa_enrol", "", nil)
	return &en, nil
}

// ConfirmTOTP turns the pending factor on with a first code and answers the recovery codes,
// shown this once (POST /auth/mfa/totp/confirm).
func (s *Service) ConfirmTOTP(ctx context.Context, code string) ([]string, error) {
	p := principal.From(ctx)
	if p == nil {
		return nil, errNotLoggedIn
	}
	now := s.now()
	f, err := s.cfg.Store.MFA().TOTP(ctx, p.UserID)
	if errs.IsKind(err, errs.KindNotFound) || (err == nil && f.Enabled()) {
		return nil, errMFANotPending
	}
	if err != nil {
		return nil, err
	}
	secret, err := s.openSecret(f)
	if err != nil {
		return nil, err
	}
	step, ok, err := totp.Match(secret, code, now, 0)
	if err != nil {
		return nil, errs.Internal(err)
	}
	if !ok {
		s.recordMFA(ctx, "mfa_confirm", "bad_code", nil)
		return nil, errWrongCode()
	}
	codes, hashes := authn.NewRecoveryCodes()
	err = s.cfg.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		confirmed, err := tx.MFA().ConfirmTOTP(ctx, p.UserID, step, now)
		if err != nil {
			return err
		}
		if !confirmed {
			return errMFANotPending
		}
		if err := tx.MFA().ReplaceRecoveryCodes(ctx, p.UserID, hashes, now); err != nil {
			return err
		}
		tx.Emit(event.MFAEnabled{UserID: p.UserID})
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.recordMFA(ctx, "mfa_confirm", "", map[string]any{"method": authn.MethodTOTP})
	return codes, nil
}

// RegenerateRecoveryCodes replaces the caller's recovery codes after a current TOTP code
// (POST /auth/mfa/recovery-codes).
func (s *Service) RegenerateRecoveryCodes(ctx context.Context, code string) ([]string, error) {
	codes, hashes := authn.NewRecoveryCodes()
	err := s.stepUp(ctx, "mfa_recovery_codes", code, "", func(ctx context.Context, tx port.Tx, p *principal.Principal, now time.Time) error {
		return tx.MFA().ReplaceRecoveryCodes(ctx, p.UserID, hashes, now)
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// DisableTOTP removes the caller's factor after a current TOTP code or the password
// (DELETE /auth/mfa/totp). The caller's sessions stay.
func (s *Service) DisableTOTP(ctx context.Context, code, password string) error {
	return s.stepUp(ctx, "mfa_disable", code, password, func(ctx context.Context, tx port.Tx, p *principal.Principal, _ time.Time) error {
		if _, err := tx.MFA().Remove(ctx, p.UserID); err != nil {
			return err
		}
		tx.Emit(event.MFADisabled{UserID: p.UserID, Reason: "disabled"})
		return nil
	})
}

// stepUp runs change once the caller proved presence with a current TOTP code (spent, so it
// cannot be replayed) or, when password is not empty, the password. Wrong answers count toward
// the lockout, as in ChangePassword, so a stolen access token cannot guess codes.
func (s *Service) stepUp(ctx context.Context, action, code, password string,
	change func(ctx context.Context, tx port.Tx, p *principal.Principal, now time.Time) error) error {
	p := principal.From(ctx)
	if p == nil {
		return errNotLoggedIn
	}
	now := s.now()
	f, err := s.cfg.Store.MFA().TOTP(ctx, p.UserID)
	if errs.IsKind(err, errs.KindNotFound) || (err == nil && !f.Enabled()) {
		return errMFANotEnabled
	}
	if err != nil {
		return err
	}
	u, err := s.cfg.Store.Credentials().Get(ctx, p.UserID)
	if err != nil {
		return errs.Internal(err)
	}
	key := authn.LockKey{Account: authn.AccountKey(u.Email), Client: reqinfo.From(ctx).ClientKey(), UserID: u.ID}
	locks, err := s.locksOf(ctx, key, u)
	if err != nil {
		return err
	}
	if wait := s.cfg.Lockout.Wait(locks, now); wait > 0 {
		s.recordMFA(ctx, action, authn.ReasonLocked, nil)
		return &errs.Error{Kind: errs.KindRateLimited, Code: "account_locked", Message: "Too many failed attempts; retry later.", RetryAfter: wait}
	}
	var (
		ok      bool
		step    int64
		proofBy = "password"
	)
	if password != "" {
		if ok, _, err = s.cfg.Hasher.Verify(ctx, password, u.PasswordHash); err != nil {
			return passUnavailable(err)
		}
	} else {
		proofBy = authn.MethodTOTP
		secret, err := s.openSecret(f)
		if err != nil {
			return err
		}
		if step, ok, err = totp.Match(secret, code, now, f.LastStep); err != nil {
			return errs.Internal(err)
		}
	}
	if ok {
		err = s.cfg.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
			if proofBy == authn.MethodTOTP {
				if used, err := tx.MFA().UseStep(ctx, p.UserID, step); err != nil || !used {
					return errors.Join(err, errCodeSpent)
				}
			}
			if err := tx.LoginFailures().ClearPair(ctx, key); err != nil {
				return err
			}
			return change(ctx, tx, p, now)
		})
		if err == nil {
			s.recordMFA(ctx, action, "", map[string]any{"proof": proofBy})
			return nil
		}
		if !errors.Is(err, errCodeSpent) {
			return err
		}
	}
	failure, err := s.countFailure(ctx, key, locks, now)
	if err != nil {
		return err
	}
	e := audit.NewAuth(ctx, action, "user", audit.ResultFailure)
	e.ErrorMessage = "bad_" + proofBy
	s.cfg.Audit.Record(ctx, e)
	s.cfg.Metrics.locksStarted(failure)
	for _, le := range lockEvents(key, e, failure) {
		s.cfg.Audit.Record(ctx, le)
	}
	if password != "" {
		e := errs.Invalid(errs.FieldError{Field: "password", Message: "is incorrect"})
		e.Code = "invalid_password"
		return e
	}
	return errWrongCode()
}

// recordMFA records an AUTH event of the caller's own factor: success when reason is "".
func (s *Service) recordMFA(ctx context.Context, action, reason string, meta map[string]any) {
	result := audit.ResultSuccess
	if reason != "" {
		result = audit.ResultFailure
	}
	e := audit.NewAuth(ctx, action, "user", result)
	e.ErrorMessage = reason
	if meta != nil {
		e.WithMetadata(meta)
	}
	s.cfg.Audit.Record(ctx, e)
}
