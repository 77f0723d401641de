package auth

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/ent/user"
	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/crypto/accesstoken"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/platform/reqinfo"
)

// Login checks credentials and opens a session. Unknown email, wrong password, locked and
// inactive accounts all cost one argon2id verification and return the same error; unknown
// emails are counted and locked exactly like real ones (phantom lockout), so lockout reveals
// nothing about which accounts exist.
func (s *Service) Login(ctx context.Context, email, password string) (*Grant, error) {
	now := s.now()
	email = strings.ToLower(strings.TrimSpace(email))
	info := reqinfo.From(ctx)
	failed := audit.New(ctx, audit.EventAuth, "login", "session", audit.ResultFailure)
	failed.UserEmail = email

	if ok, wait := s.limiter.Allow(info.ClientKey(), now); !ok {
		failed.ErrorMessage = "rate_limited"
		s.recordFailure(ctx, failed)
		s.cfg.Metrics.login(loginRateLimited)
		return nil, &errs.Error{Kind: errs.KindRateLimited, Code: errs.CodeRateLimited,
			Message: "Too many login attempts from this address; retry later.", RetryAfter: wait}
	}

	u, err := s.store.liveUserByEmail(ctx, email)
	switch {
	case ent.IsNotFound(err):
		u = nil
	case err != nil:
		return nil, errs.Internal(err)
	}
	key := lockKey{account: accountKey(email), client: info.ClientKey()}
	if u != nil {
		key.userID = u.ID
		failed.UserID, failed.UserFirstName, failed.UserLastName = u.ID.String(), u.FirstName, u.LastName
		failed.OrganizationID = u.OrganizationID.String()
	}
	before, err := s.locks.current(ctx, key, u)
	if err != nil {
		return nil, errs.Internal(err)
	}
	match, rehash := false, false
	if u != nil {
		match, rehash, err = s.hasher.Verify(ctx, password, u.PasswordHash)
	} else {
		err = s.hasher.VerifyDummy(ctx, password)
	}
	if err != nil {
		if errs.IsKind(err, errs.KindUnavailable) {
			return nil, err
		}
		return nil, errs.Internal(err)
	}
	if !match {
		return nil, s.loginFailed(ctx, key, before, now, failed)
	}
	if wait := s.cfg.Lockout.retryAfter(before, now); wait > 0 {
		failed.ErrorMessage = "account_locked"
		s.recordFailure(ctx, failed)
		s.cfg.Metrics.login(loginLocked)
		return nil, errInvalidCredentials(wait)
	}
	if u.Status != user.StatusActive {
		failed.ErrorMessage = "account_" + string(u.Status)
		s.recordFailure(ctx, failed)
		s.cfg.Metrics.login(loginInactive)
		return nil, errInvalidCredentials(0)
	}
	place, err := s.store.placementOf(ctx, u.OrganizationID)
	if err != nil {
		return nil, errs.Internal(err)
	}
	if !place.active {
		failed.ErrorMessage = "organization_inactive"
		s.recordFailure(ctx, failed)
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
	grant, err := s.openSession(ctx, u, place.tenant, key, newHash, now)
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

// loginFailed counts a wrong password (or any password for an unknown email), records it and
// any lock it starts, and answers with the lock's Retry-After when one is in force.
func (s *Service) loginFailed(ctx context.Context, key lockKey, before lockStates, now time.Time, failed audit.Event) error {
	f, err := s.locks.fail(ctx, key, before, now)
	if err != nil {
		return errs.Internal(err)
	}
	wasLocked := s.cfg.Lockout.retryAfter(before, now) > 0
	switch {
	case key.userID == uuid.Nil:
		failed.ErrorMessage = "unknown_account"
	case wasLocked:
		failed.ErrorMessage = "account_locked"
	default:
		failed.ErrorMessage = "bad_password"
	}
	s.recordFailure(ctx, failed)
	if wasLocked {
		s.cfg.Metrics.login(loginLocked)
	} else {
		s.cfg.Metrics.login(loginInvalid)
	}
	if f.pairLocked {
		s.locked(ctx, key, failed, scopeAddress, f.after.pair)
	}
	if f.accountLocked {
		s.locked(ctx, key, failed, scopeAccount, f.after.account)
	}
	return errInvalidCredentials(s.cfg.Lockout.retryAfter(f.after, now))
}

// Lock scopes, as the account_locked audit event's metadata names them.
const (
	scopeAddress = "address" // one client (IPv4 address or IPv6 /64) locked out of one account
	scopeAccount = "account" // the account locked for every client
)

// locked counts a lock that just started and, for a real account, records it. Phantom locks
// are counted in the metric only: there is no account to report on, and the failed-login
// events already name the email.
func (s *Service) locked(ctx context.Context, key lockKey, failed audit.Event, scope string, st LockState) {
	s.cfg.Metrics.lockout()
	if key.userID == uuid.Nil || st.LockedUntil == nil {
		return
	}
	e := failed
	e.ID, e.Action, e.ErrorMessage = uuid.Must(uuid.NewV7()), "account_locked", "too_many_failures"
	meta := map[string]any{"scope": scope, "failures": st.Failures, "locked_until": st.LockedUntil.UTC().Format(time.RFC3339)}
	if scope == scopeAddress {
		meta["client"] = key.client
	}
	e.WithMetadata(meta)
	s.record(ctx, e)
}

// openSession records the successful login, creates the session and its first refresh token,
// and signs the access token.
func (s *Service) openSession(ctx context.Context, u *ent.User, tenant uuid.UUID, key lockKey, newHash string, now time.Time) (*Grant, error) {
	info := reqinfo.From(ctx)
	refresh, hash := newRefreshToken()
	var sid uuid.UUID
	err := withTx(ctx, s.client, func(tx *ent.Tx) error {
		upd := tx.User.UpdateOneID(u.ID).SetFailedLoginCount(0).ClearLockedUntil().ClearLastFailedLoginAt().SetLastLoginAt(now)
		if newHash != "" {
			upd.SetPasswordHash(newHash)
		}
		if err := upd.Exec(ctx); err != nil {
			return err
		}
		if err := clearPair(ctx, tx, key); err != nil {
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
	access, _, err := s.tokens.Issue(accesstoken.Subject{UserID: u.ID, SessionID: sid, TenantID: tenant, OrganizationID: u.OrganizationID})
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
