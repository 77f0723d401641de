// Package auth is the authentication application service: login, refresh with rotation and
// reuse detection, logout, password change, and verification of access tokens into a
// principal, with brute-force defence and an AUTH audit event for every outcome.
package auth

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/crypto/accesstoken"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// Hasher is the password hasher (internal/crypto/argon2).
type Hasher interface {
	Hash(ctx context.Context, pw string) (string, error)
	Verify(ctx context.Context, pw, encoded string) (match, rehash bool, err error)
	VerifyDummy(ctx context.Context, pw string) error
}

// Config holds the policies.
type Config struct {
	AccessTTL      time.Duration
	RefreshTTL     time.Duration // sliding
	SessionMaxAge  time.Duration // absolute
	Lockout        LockoutPolicy
	LoginRatePerIP int
	// Passwords is the policy a new password must meet.
	Passwords       iam.PasswordPolicy
	SessionCacheTTL time.Duration
	// Leeway is the clock-skew tolerance on token expiry (the same as the token service's).
	Leeway time.Duration
	Now    func() time.Time
	// Metrics may be nil.
	Metrics *Metrics
	// Dialect of the store (hand-written queries need its placeholders).
	Dialect string
	// FailureAuditWindow coalesces the audit events of failed authentications per client,
	// action and reason into at most one row per window (0: one row per failure).
	FailureAuditWindow time.Duration
}

// Service runs the authentication flows.
type Service struct {
	cfg      Config
	store    store
	client   *ent.Client
	hasher   Hasher
	tokens   *accesstoken.Service
	recorder audit.Recorder
	log      *slog.Logger

	limiter  *ipLimiter
	locks    *lockStore
	sessions *sessionCache
	verified *tokenCache
	revoked  func(ids ...uuid.UUID)
	failures *coalescer // audit events of failed authentications
}

// New validates cfg and builds the service.
func New(cfg Config, client *ent.Client, hasher Hasher, tokens *accesstoken.Service, recorder audit.Recorder, log *slog.Logger) (*Service, error) {
	if cfg.AccessTTL <= 0 || cfg.RefreshTTL <= 0 || cfg.SessionMaxAge < cfg.RefreshTTL {
		return nil, errors.New("auth: token lifetimes are inconsistent")
	}
	if cfg.Lockout.Threshold < 1 || cfg.Lockout.Duration <= 0 || cfg.LoginRatePerIP < 1 {
		return nil, errors.New("auth: lockout and rate limits must be positive")
	}
	if cfg.Lockout.AccountThreshold < cfg.Lockout.Threshold {
		return nil, errors.New("auth: the account-wide lockout threshold must not be below the per-address one")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Service{
		cfg: cfg, store: store{client, cfg.Dialect}, client: client, hasher: hasher, tokens: tokens, recorder: recorder, log: log,
		limiter:  newIPLimiter(cfg.LoginRatePerIP),
		locks:    newLockStore(client, cfg.Dialect, cfg.Lockout, log),
		sessions: newSessionCache(cfg.SessionCacheTTL),
		verified: newTokenCache(100_000),
	}
	if cfg.FailureAuditWindow > 0 {
		s.failures = newCoalescer(cfg.FailureAuditWindow, cfg.FailureAuditWindow/4, cfg.Now, s.record)
	}
	return s, nil
}

// FlushAudit records the failed-authentication events held back for coalescing (so a reader
// sees every failure so far).
func (s *Service) FlushAudit() {
	if s.failures != nil {
		s.failures.Flush()
	}
}

// Close stops the background work and records the held-back failure events; call it before the
// audit recorder closes.
func (s *Service) Close() {
	if s.failures != nil {
		s.failures.Close()
	}
}

func (s *Service) now() time.Time { return s.cfg.Now().UTC() }

// Errors the flows return. Every credential failure is the same error, whatever the cause.
var (
	errInvalidCredentials = func(retry time.Duration) error {
		return &errs.Error{Kind: errs.KindUnauthenticated, Code: "invalid_credentials",
			Message: "The email or password is incorrect.", RetryAfter: retry}
	}
	errInvalidRefresh = errs.New(errs.KindUnauthenticated, "invalid_refresh_token",
		"The refresh token is invalid, expired or already used.")
)

// recordFailure writes the audit event of a failed authentication through the coalescer: an
// unauthenticated flood adds at most one row per client, action and reason per second.
func (s *Service) recordFailure(ctx context.Context, e audit.Event) {
	if s.failures == nil {
		s.record(ctx, e)
		return
	}
	s.failures.Record(ctx, e)
}

// record writes an AUTH audit event; a failure to record is logged loudly but never changes
// the answer (the audit writer is responsible for durability).
func (s *Service) record(ctx context.Context, e audit.Event) {
	if err := s.recorder.Record(ctx, e); err != nil {
		s.log.ErrorContext(ctx, "audit event not recorded", "action", e.Action, "error", err)
	}
}
