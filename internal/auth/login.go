package auth

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/ent/user"
	"github.com/telemetryflow/core/internal/audit"
	"github.com/telemetryflow/core/internal/auth/token"
	"github.com/telemetryflow/core/internal/errs"
	"github.com/telemetryflow/core/internal/reqinfo"
)

// Login checks credentials and opens a session. Unknown email, wrong password, locked and
// inactive accounts all cost one argon2id verification and return the same error.
func (s *Service) Login(ctx context.Context, email, password string) (*Grant, error) {
	now := s.now()
	email = strings.ToLower(strings.TrimSpace(email))
	failed := audit.New(ctx, audit.EventAuth, "login", "session", audit.ResultFailure)
	failed.UserEmail = email

	if ok, wait := s.limiter.Allow(reqinfo.From(ctx).ClientKey(), now); !ok {
		failed.ErrorMessage = "rate_limited"
		s.record(ctx, failed)
		s.cfg.Metrics.login(loginRateLimited)
		return nil, &errs.Error{Kind: errs.KindRateLimited, Code: errs.CodeRateLimited,
			Message: "Too many login attempts from this address; retry later.", RetryAfter: wait}
	}

	u, err := s.store.liveUserByEmail(ctx, email)
	if ent.IsNotFound(err) {
		return nil, s.unknownAccount(ctx, email, password, now, failed)
	}
	if err != nil {
		return nil, errs.Internal(err)
	}
	failed.UserID, failed.UserFirstName, failed.UserLastName = u.ID.String(), u.FirstName, u.LastName
	failed.OrganizationID = u.OrganizationID.String()

	state := LockState{Failures: u.FailedLoginCount, LockedUntil: u.LockedUntil}
	locked, wait := s.cfg.Lockout.RetryAfter(state, now)
	match, rehash, err := s.hasher.Verify(ctx, password, u.PasswordHash)
	if err != nil {
		if errs.IsKind(err, errs.KindUnavailable) {
			return nil, err
		}
		return nil, errs.Internal(err)
	}
	switch {
	case locked:
		failed.ErrorMessage = "account_locked"
		s.record(ctx, failed)
		s.cfg.Metrics.login(loginLocked)
		return nil, errInvalidCredentials(wait)
	case !match:
		next, justLocked := s.cfg.Lockout.AfterFailure(state, now)
		if err := s.store.saveFailures(ctx, u.ID, next); err != nil {
			return nil, errs.Internal(err)
		}
		failed.ErrorMessage = "bad_password"
		s.record(ctx, failed)
		s.cfg.Metrics.login(loginInvalid)
		if justLocked {
			s.cfg.Metrics.lockout()
			lockEvt := failed
			lockEvt.ID, lockEvt.Action, lockEvt.ErrorMessage = uuid.Must(uuid.NewV7()), "account_locked", "too_many_failures"
			lockEvt.WithMetadata(map[string]any{"failures": next.Failures, "locked_until": next.LockedUntil.Format(time.RFC3339)})
			s.record(ctx, lockEvt)
			return nil, errInvalidCredentials(next.LockedUntil.Sub(now))
		}
		return nil, errInvalidCredentials(0)
	case u.Status != user.StatusActive:
		failed.ErrorMessage = "account_" + string(u.Status)
		s.record(ctx, failed)
		s.cfg.Metrics.login(loginInactive)
		return nil, errInvalidCredentials(0)
	}

	newHash := ""
	if rehash {
		if newHash, err = s.hasher.Hash(ctx, password); err != nil {
			s.log.WarnContext(ctx, "password re-hash skipped", "error", err)
			newHash = ""
		}
	}
	grant, err := s.openSession(ctx, u, newHash, now)
	if err != nil {
		return nil, err
	}
	ok := audit.New(ctx, audit.EventAuth, "login", "session", audit.ResultSuccess)
	ok.UserEmail, ok.UserID, ok.UserFirstName, ok.UserLastName = u.Email, u.ID.String(), u.FirstName, u.LastName
	ok.OrganizationID, ok.TenantID, ok.SessionID = u.OrganizationID.String(), grant.Account.TenantID.String(), grant.SessionID.String()
	if rehash && newHash != "" {
		ok.WithMetadata(map[string]any{"password_rehashed": true})
	}
	s.record(ctx, ok)
	s.cfg.Metrics.login(loginSuccess)
	return grant, nil
}

// unknownAccount spends the same hashing cost as a real check and keeps a phantom lockout so
// that lockout behaviour does not reveal which emails exist.
func (s *Service) unknownAccount(ctx context.Context, email, password string, now time.Time, failed audit.Event) error {
	state := s.phantoms.State(email)
	locked, wait := s.cfg.Lockout.RetryAfter(state, now)
	if err := s.hasher.VerifyDummy(ctx, password); err != nil && errs.IsKind(err, errs.KindUnavailable) {
		return err
	}
	failed.ErrorMessage = "unknown_account"
	s.record(ctx, failed)
	if locked {
		s.cfg.Metrics.login(loginLocked)
		return errInvalidCredentials(wait)
	}
	s.cfg.Metrics.login(loginInvalid)
	next, justLocked := s.phantoms.Fail(email, now)
	if justLocked {
		s.cfg.Metrics.lockout()
		return errInvalidCredentials(next.LockedUntil.Sub(now))
	}
	return errInvalidCredentials(0)
}

// openSession records the successful login, creates the session and its first refresh token,
// and signs the access token.
func (s *Service) openSession(ctx context.Context, u *ent.User, newHash string, now time.Time) (*Grant, error) {
	tenant, err := s.store.tenantOf(ctx, u.OrganizationID)
	if err != nil {
		return nil, errs.Internal(err)
	}
	info := reqinfo.From(ctx)
	refresh, hash := newRefreshToken()
	var sid uuid.UUID
	err = withTx(ctx, s.client, func(tx *ent.Tx) error {
		upd := tx.User.UpdateOneID(u.ID).SetFailedLoginCount(0).ClearLockedUntil().SetLastLoginAt(now)
		if newHash != "" {
			upd.SetPasswordHash(newHash)
		}
		if err := upd.Exec(ctx); err != nil {
			return err
		}
		se, err := tx.Session.Create().SetUserID(u.ID).SetCreatedAt(now).SetLastSeenAt(now).
			SetExpiresAt(now.Add(s.cfg.SessionMaxAge)).SetIPAddress(info.IP).SetUserAgent(info.UserAgent).Save(ctx)
		if err != nil {
			return err
		}
		sid = se.ID
		return tx.RefreshToken.Create().SetTokenHash(hash).SetSessionID(se.ID).SetFamily(se.ID).
			SetCreatedAt(now).SetExpiresAt(minTime(now.Add(s.cfg.RefreshTTL), se.ExpiresAt)).Exec(ctx)
	})
	if err != nil {
		return nil, errs.Internal(err)
	}
	access, _, err := s.tokens.Issue(token.Subject{UserID: u.ID, SessionID: sid, TenantID: tenant, OrganizationID: u.OrganizationID})
	if err != nil {
		return nil, errs.Internal(err)
	}
	u.LastLoginAt = &now
	u.FailedLoginCount, u.LockedUntil = 0, nil
	return &Grant{AccessToken: access, ExpiresIn: s.cfg.AccessTTL, RefreshToken: refresh, SessionID: sid, Account: accountOf(u, tenant)}, nil
}

func withTx(ctx context.Context, c *ent.Client, fn func(*ent.Tx) error) error {
	tx, err := c.Tx(ctx)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
