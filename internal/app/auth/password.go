package auth

import (
	"context"
	"time"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/platform/principal"
	"github.com/telemetryflow/core/internal/platform/reqinfo"
)

// ChangePassword replaces the caller's password after checking the current one, and ends every
// other session of theirs (POST /auth/password). Wrong current passwords count towards the
// account lockout, so a stolen access token cannot be used to guess the password. The change
// and the revocations commit together with a PasswordChanged event, which drops the user's
// cached sessions on every replica.
func (s *Service) ChangePassword(ctx context.Context, current, next string) error {
	p := principal.From(ctx)
	if p == nil {
		return errNotLoggedIn
	}
	c := &passwordChange{now: s.now(), failed: audit.NewAuth(ctx, "change_password", "user", audit.ResultFailure)}
	err := s.changePassword(ctx, c, p, current, next)
	s.recordPasswordChange(ctx, c)
	return err
}

// passwordChange is one change as it proceeds, and what it will record.
type passwordChange struct {
	now     time.Time
	key     authn.LockKey
	failed  audit.Event // recorded when ErrorMessage is set
	failure authn.Failure
	ended   int
	done    bool
}

func (s *Service) changePassword(ctx context.Context, c *passwordChange, p *principal.Principal, current, next string) error {
	u, err := s.cfg.Store.Credentials().Get(ctx, p.UserID)
	if err != nil {
		return errs.Internal(err)
	}
	c.key = authn.LockKey{Account: authn.AccountKey(u.Email), Client: reqinfo.From(ctx).ClientKey(), UserID: u.ID}
	before, err := s.locksOf(ctx, c.key, u)
	if err != nil {
		return err
	}
	if wait := s.cfg.Lockout.Wait(before, c.now); wait > 0 {
		c.failed.ErrorMessage = authn.ReasonLocked
		return &errs.Error{Kind: errs.KindRateLimited, Code: "account_locked",
			Message: "Too many failed attempts; retry later.", RetryAfter: wait}
	}
	match, _, err := s.cfg.Hasher.Verify(ctx, current, u.PasswordHash)
	if err != nil {
		return passUnavailable(err)
	}
	if !match {
		if c.failure, err = s.countFailure(ctx, c.key, before, c.now); err != nil {
			return err
		}
		c.failed.ErrorMessage = "bad_current_password"
		e := errs.Invalid(errs.FieldError{Field: "current_password", Message: "is incorrect"})
		e.Code = "invalid_current_password"
		return e
	}
	if err := s.cfg.Passwords.CheckChange(current, next, u.Email); err != nil {
		return err
	}
	hash, err := s.cfg.Hasher.Hash(ctx, next)
	if err != nil {
		return passUnavailable(err)
	}
	err = s.cfg.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		if err := tx.Credentials().SetPassword(ctx, u.ID, hash, c.now); err != nil {
			return err
		}
		if err := tx.LoginFailures().ClearPair(ctx, c.key); err != nil {
			return err
		}
		ended, err := tx.Sessions().RevokeAll(ctx, u.ID, authn.EndPasswordChanged, c.now, p.SessionID)
		if err != nil {
			return err
		}
		c.ended = ended
		tx.Emit(event.PasswordChanged{UserID: u.ID, KeptSessionID: p.SessionID, SessionsRevoked: ended})
		return nil
	})
	if err != nil {
		return err
	}
	c.done = true
	return nil
}

// recordPasswordChange records the change, or the refusal by a lock or a wrong current
// password with the locks it started. Policy refusals are the caller's input errors and are
// not recorded.
func (s *Service) recordPasswordChange(ctx context.Context, c *passwordChange) {
	switch {
	case c.done:
		ok := audit.NewAuth(ctx, "change_password", "user", audit.ResultSuccess)
		ok.WithMetadata(map[string]any{"sessions_ended": c.ended})
		s.cfg.Audit.Record(ctx, ok)
	case c.failed.ErrorMessage != "":
		s.cfg.Audit.Record(ctx, c.failed)
		s.cfg.Metrics.locksStarted(c.failure)
		for _, e := range lockEvents(c.key, c.failed, c.failure) {
			s.cfg.Audit.Record(ctx, e)
		}
	}
}
