package auth

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/crypto/accesstoken"
	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/platform/reqinfo"
)

// Grant is what a successful login or refresh hands out.
type Grant struct {
	AccessToken  string
	ExpiresIn    time.Duration
	RefreshToken string
	SessionID    uuid.UUID
	User         *iam.User
}

// Login checks credentials and opens a session (POST /auth/login). Unknown email, wrong
// password, locked and inactive accounts all cost one argon2id verification and return the
// same error; unknown emails are counted and locked exactly like real ones (phantom lockout),
// so lockout reveals nothing about which accounts exist.
//
// The path: the account with its placement and the failure counts in one read
// (port.Credentials.ForLogin), the password, the decision (authn.LockoutPolicy.Decide), then either
// the failure counted or the session opened in one unit of work whose SessionOpened event goes
// through the outbox; the audit events are recorded last.
func (s *Service) Login(ctx context.Context, email, password string) (*Grant, error) {
	a := &loginAttempt{now: s.now(), email: iam.CanonicalEmail(email),
		failed: audit.NewAuth(ctx, "login", "session", audit.ResultFailure)}
	a.failed.UserEmail = a.email
	grant, err := s.login(ctx, a, password)
	s.recordLogin(ctx, a)
	return grant, err
}

// loginAttempt is one login as it proceeds, and what it will record.
type loginAttempt struct {
	now   time.Time
	email string
	key   authn.LockKey
	// before are the counts read before the attempt: a success clears the client's count
	// against the account only when there was one (most logins have none, and the delete
	// would be a write for nothing).
	before authn.Locks
	failed audit.Event // filled in as the attempt learns whose account it is
	// metric is the outcome once the attempt has one; empty after an internal error, which
	// records nothing.
	metric  string
	failure authn.Failure // the counts after a counted failure, and the locks it started
	ok      *audit.Event
	// method is the second factor that completed the login ("" for a password alone), and
	// spend uses it up inside the login's unit of work (mfa_login.go).
	method string
	spend  func(ctx context.Context, tx port.Tx) error
}

func (s *Service) login(ctx context.Context, a *loginAttempt, password string) (*Grant, error) {
	client := reqinfo.From(ctx).ClientKey()
	if ok, wait := s.limiter.Allow(ctx, client, a.now); !ok {
		a.failed.ErrorMessage, a.metric = "rate_limited", loginRateLimited
		return nil, &errs.Error{Kind: errs.KindRateLimited, Code: errs.CodeRateLimited,
			Message: "Too many login attempts from this address; retry later.", RetryAfter: wait}
	}
	a.key = authn.LockKey{Account: authn.AccountKey(a.email), Client: client}
	u, locks, err := s.cfg.Store.Credentials().ForLogin(ctx, a.email, a.key)
	if err != nil {
		return nil, err
	}
	a.before = withAccountLock(locks, u)
	attempt := authn.Attempt{Locks: a.before}
	if u != nil {
		a.key.UserID = u.ID
		a.failed.UserID, a.failed.UserFirstName, a.failed.UserLastName = u.ID.String(), u.FirstName, u.LastName
		a.failed.OrganizationID = u.OrganizationID.String()
		attempt.User, attempt.HierarchyActive = &u.User, u.HierarchyActive
	}
	var rehash bool
	if attempt.PasswordMatches, rehash, err = s.checkPassword(ctx, u, password); err != nil {
		return nil, err
	}
	verdict := s.cfg.Lockout.Decide(attempt, a.now)
	switch {
	case verdict.CountFailure:
		if a.failure, err = s.countFailure(ctx, a.key, attempt.Locks, a.now); err != nil {
			return nil, err
		}
		a.failed.ErrorMessage, a.metric = verdict.Reason, loginInvalid
		if verdict.Locked {
			a.metric = loginLocked
		}
		return nil, errInvalidCredentials(s.cfg.Lockout.Wait(a.failure.After, a.now))
	case verdict.Reason != "":
		a.failed.ErrorMessage, a.metric = verdict.Reason, loginInactive
		if verdict.Locked {
			a.metric = loginLocked
		}
		return nil, errInvalidCredentials(verdict.RetryAfter)
	}
	newHash := s.rehash(ctx, rehash, password)
	// An account with a second factor gets a challenge, not tokens (mfa_login.go).
	if err := s.challengeIfEnrolled(ctx, a, u, newHash); err != nil {
		return nil, err
	}
	return s.openSession(ctx, a, u, newHash)
}

// checkPassword verifies the password, against a dummy hash when there is no account, so
// that both cost the same.
func (s *Service) checkPassword(ctx context.Context, u *port.PlacedUser, password string) (match, rehash bool, err error) {
	// A service account has no password: it costs the same dummy verification as an unknown
	// email and matches nothing, so its login answers exactly like a wrong password.
	if u == nil || u.PasswordHash == "" || u.IsService() {
		err = s.cfg.Hasher.VerifyDummy(ctx, password)
	} else {
		match, rehash, err = s.cfg.Hasher.Verify(ctx, password, u.PasswordHash)
	}
	if err != nil {
		return false, false, passUnavailable(err)
	}
	return match, rehash, nil
}

// rehash returns a hash of the password with the current parameters when the stored one is
// older ("" when it is current or hashing fails: the login goes ahead either way).
func (s *Service) rehash(ctx context.Context, needed bool, password string) string {
	if !needed {
		return ""
	}
	h, err := s.cfg.Hasher.Hash(ctx, password)
	if err != nil {
		s.cfg.Log.WarnContext(ctx, "password re-hash skipped", "error", err)
		return ""
	}
	return h
}

// openSession records the successful login (counts cleared, new hash stored), creates the
// session and its first refresh token in one unit of work, and signs the access token.
func (s *Service) openSession(ctx context.Context, a *loginAttempt, u *port.PlacedUser, newHash string) (*Grant, error) {
	info := reqinfo.From(ctx)
	se := authn.OpenSession(u.ID, a.now, s.cfg.SessionMaxAge, info.IP, info.UserAgent)
	se.AMR = authn.AMRFor(a.method)
	refresh, token := authn.IssueRefreshToken(se, se.ID, a.now, s.cfg.RefreshTTL)
	err := s.cfg.UoW.Do(ctx, func(ctx context.Context, tx port.Tx) error {
		if a.spend != nil {
			if err := a.spend(ctx, tx); err != nil {
				return err
			}
		}
		if err := tx.Credentials().LoggedIn(ctx, u.ID, a.now, newHash); err != nil {
			return err
		}
		if !a.before.Pair.IsZero() {
			if err := tx.LoginFailures().ClearPair(ctx, a.key); err != nil {
				return err
			}
		}
		if err := tx.Sessions().OpenWithToken(ctx, se, token); err != nil {
			return err
		}
		tx.Emit(event.SessionOpened{SessionID: se.ID, UserID: u.ID, OrganizationID: u.OrganizationID, PasswordRehashed: newHash != ""})
		return nil
	})
	if err != nil {
		return nil, err
	}
	access, _, err := s.cfg.Tokens.Issue(accesstoken.Subject{UserID: u.ID, SessionID: se.ID, TenantID: u.TenantID, OrganizationID: u.OrganizationID,
		AMR: se.AMR})
	if err != nil {
		return nil, errs.Internal(err)
	}
	ok := audit.NewAuth(ctx, "login", "session", audit.ResultSuccess)
	ok.UserEmail, ok.UserID, ok.UserFirstName, ok.UserLastName = u.Email, u.ID.String(), u.FirstName, u.LastName
	ok.OrganizationID, ok.TenantID, ok.SessionID = u.OrganizationID.String(), u.TenantID.String(), se.ID.String()
	if newHash != "" {
		ok.WithMetadata(map[string]any{"password_rehashed": true})
	}
	a.ok, a.metric = &ok, loginSuccess
	user := u.User
	user.PasswordHash = "" // the grant leaves the service; the hash never does
	user.LastLoginAt, user.FailedLoginCount, user.LockedUntil = &a.now, 0, nil
	return &Grant{AccessToken: access, ExpiresIn: s.cfg.AccessTTL, RefreshToken: refresh, SessionID: se.ID, User: &user}, nil
}

// recordLogin records what the attempt came to: the success, or the failure (coalesced per
// client and reason) and the account_locked events of the locks it started.
func (s *Service) recordLogin(ctx context.Context, a *loginAttempt) {
	switch {
	case a.metric == "":
		return
	case a.ok != nil:
		s.cfg.Audit.Record(ctx, *a.ok)
	default:
		s.recordFailure(ctx, a.failed)
	}
	s.cfg.Metrics.login(a.metric)
	s.cfg.Metrics.locksStarted(a.failure)
	for _, e := range lockEvents(a.key, a.failed, a.failure) {
		s.cfg.Audit.Record(ctx, e)
	}
}
