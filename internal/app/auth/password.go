package auth

import (
	"context"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/platform/principal"
	"github.com/telemetryflow/core/internal/platform/reqinfo"
)

// ChangePassword replaces the caller's password after checking the current one, and ends every
// other session of theirs. Wrong current passwords count towards the account lockout, so a
// stolen access token cannot be used to guess the password.
func (s *Service) ChangePassword(ctx context.Context, current, next string) error {
	p := principal.From(ctx)
	if p == nil {
		return errs.New(errs.KindUnauthenticated, errs.CodeUnauthenticated, "Not logged in.")
	}
	now := s.now()
	failed := audit.New(ctx, audit.EventAuth, "change_password", "user", audit.ResultFailure)
	u, err := s.store.liveUser(ctx, p.UserID)
	if err != nil {
		return errs.Internal(err)
	}
	key := lockKey{account: accountKey(u.Email), client: reqinfo.From(ctx).ClientKey(), userID: u.ID}
	before, err := s.locks.current(ctx, key, u)
	if err != nil {
		return errs.Internal(err)
	}
	if wait := s.cfg.Lockout.retryAfter(before, now); wait > 0 {
		failed.ErrorMessage = "account_locked"
		s.record(ctx, failed)
		return &errs.Error{Kind: errs.KindRateLimited, Code: "account_locked",
			Message: "Too many failed attempts; retry later.", RetryAfter: wait}
	}
	match, _, err := s.hasher.Verify(ctx, current, u.PasswordHash)
	if err != nil {
		if errs.IsKind(err, errs.KindUnavailable) {
			return err
		}
		return errs.Internal(err)
	}
	if !match {
		f, err := s.locks.fail(ctx, key, before, now)
		if err != nil {
			return errs.Internal(err)
		}
		failed.ErrorMessage = "bad_current_password"
		s.record(ctx, failed)
		if f.pairLocked {
			s.locked(ctx, key, failed, scopeAddress, f.after.pair)
		}
		if f.accountLocked {
			s.locked(ctx, key, failed, scopeAccount, f.after.account)
		}
		e := errs.Invalid(errs.FieldError{Field: "current_password", Message: "is incorrect"})
		e.Code = "invalid_current_password"
		return e
	}
	if err := s.cfg.Passwords.Check(next, u.Email); err != nil {
		return iam.PasswordField(err, "new_password")
	}
	if next == current {
		return errs.Invalid(errs.FieldError{Field: "new_password", Message: "must differ from the current password"})
	}
	hash, err := s.hasher.Hash(ctx, next)
	if err != nil {
		if errs.IsKind(err, errs.KindUnavailable) {
			return err
		}
		return errs.Internal(err)
	}
	var ended []uuid.UUID
	err = withTx(ctx, s.client, func(tx *ent.Tx) error {
		if err := tx.User.UpdateOneID(u.ID).SetPasswordHash(hash).SetPasswordChangedAt(now).
			SetFailedLoginCount(0).ClearLockedUntil().ClearLastFailedLoginAt().Exec(ctx); err != nil {
			return err
		}
		if err := clearPair(ctx, tx, key); err != nil {
			return err
		}
		ended, err = revokeSessions(ctx, tx.Client(), u.ID, p.SessionID, "password_changed", now)
		return err
	})
	if err != nil {
		return errs.Internal(err)
	}
	// After the commit: a reload racing an earlier invalidation would read the old state.
	s.sessionsEnded(ended...)
	ok := audit.New(ctx, audit.EventAuth, "change_password", "user", audit.ResultSuccess)
	ok.WithMetadata(map[string]any{"sessions_ended": len(ended)})
	s.record(ctx, ok)
	return nil
}
