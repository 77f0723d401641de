// Package auth is the authentication application service: login, refresh with rotation and
// reuse detection, logout, password change, and verification of access tokens into a
// principal, with brute-force defence and an AUTH audit event for every outcome.
//
// Each flow reads through port.Authentication, decides with the rules of internal/domain/authn,
// changes state in one unit of work (port.UnitOfWork: its events reach the cache-invalidation
// subscriber through the outbox) and records its audit events at its end.
package auth

import (
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/crypto/accesstoken"
	"github.com/telemetryflow/core/internal/crypto/apikey"
	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// Hasher is the password hasher (internal/crypto/argon2).
type Hasher interface {
	Hash(ctx context.Context, pw string) (string, error)
	Verify(ctx context.Context, pw, encoded string) (match, rehash bool, err error)
	VerifyDummy(ctx context.Context, pw string) error
}

// Sealer seals secrets at rest under the key-encryption key (internal/crypto/keyring.Sealer).
type Sealer interface {
	Seal(plain, ad []byte) []byte
	Open(sealed, ad []byte) ([]byte, error)
}

// Standings answers a user's standing, whose best tier the MFA tier rule reads (port.Access).
type Standings interface {
	Standing(ctx context.Context, userID uuid.UUID) (port.Standing, error)
}

// Config holds the policies and the collaborators.
type Config struct {
	AccessTTL      time.Duration
	RefreshTTL     time.Duration // sliding
	SessionMaxAge  time.Duration // absolute
	Lockout        authn.LockoutPolicy
	LoginRatePerIP int
	// Limiter enforces LoginRatePerIP; nil means this instance's own (NewLocalRateLimiter).
	Limiter RateLimiter
	// Passwords is the policy a new password must meet.
	Passwords       iam.PasswordPolicy
	SessionCacheTTL time.Duration
	// Leeway is the clock-skew tolerance on token expiry (the same as the token service's).
	Leeway time.Duration
	// FailureAuditWindow coalesces the audit events of failed authentications per client,
	// action and reason into at most one row per window (0: one row per failure).
	FailureAuditWindow time.Duration

	// Secrets seals TOTP secrets at rest (keyring.Sealer, the signing keys' sealing); nil
	// refuses enrolment (503).
	Secrets Sealer
	// TOTPIssuer names the service in authenticator apps ("" means "TelemetryFlow").
	TOTPIssuer string
	// MFA is who must have a second factor; Standings answers a user's best tier for its tier
	// rule (required when MFA.Tiers is not empty).
	MFA       authn.MFAPolicy
	Standings Standings
	// ClientSecretKey keys the hash of client secrets (the IAM commands mint with the same
	// key); nil: a random key of this process. TokenEndpoint is the audience a
	// private_key_jwt assertion must name. Holdings answers what a service account holds,
	// for scope narrowing and introspection rights (nil: no scope can be granted).
	ClientSecretKey []byte
	TokenEndpoint   string
	Holdings        Holdings

	// Store is read outside transactions; UoW runs every change.
	Store  port.Authentication
	UoW    port.UnitOfWork
	Hasher Hasher
	Tokens *accesstoken.Service
	// APIKeys hashes presented API keys (internal/crypto/apikey); nil refuses every key.
	APIKeys *apikey.Hasher
	Audit   *audit.Log
	// Metrics, Now and Log may be nil.
	Metrics *Metrics
	Now     func() time.Time
	Log     *slog.Logger
}

// Validate checks the configuration and fills the defaults.
func (c *Config) Validate() error {
	if c.Store == nil || c.UoW == nil || c.Hasher == nil || c.Tokens == nil || c.Audit == nil {
		return errors.New("auth: store, unit of work, hasher, token service and audit log are required")
	}
	if c.AccessTTL <= 0 || c.RefreshTTL <= 0 || c.SessionMaxAge < c.RefreshTTL {
		return errors.New("auth: token lifetimes are inconsistent")
	}
	if err := c.Lockout.Validate(); err != nil {
		return errors.New("auth: " + err.Error())
	}
	if c.LoginRatePerIP < 1 {
		return errors.New("auth: the login rate per address must be positive")
	}
	if c.ClientSecretKey == nil {
		c.ClientSecretKey = make([]byte, 32)
		_, _ = rand.Read(c.ClientSecretKey)
	}
	if len(c.ClientSecretKey) < 32 {
		return errors.New("auth: the client secret key must be at least 32 bytes")
	}
	if c.Limiter == nil {
		c.Limiter = NewLocalRateLimiter(c.LoginRatePerIP)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if len(c.MFA.Tiers) > 0 && c.Standings == nil {
		return errors.New("auth: the MFA tier rule needs the users' standings")
	}
	if c.TOTPIssuer == "" {
		c.TOTPIssuer = "TelemetryFlow"
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	return nil
}

// Service runs the authentication flows.
type Service struct {
	cfg Config

	limiter RateLimiter
	pruner  *pruner
	// challengePruner deletes expired MFA challenges, at most once a minute per instance.
	challengePruner *pruner
	sessionPruner   *pruner // ended client_credentials sessions
	sessions        *sessionCache
	verified        *tokenCache
	failures        *coalescer // audit events of failed authentications
	keys            *keyCache  // API keys (apikey.go)
	touches         background // last_used_at writes in flight (apikey.go)
	keyCache        *clientKeyCache
}

// New validates cfg and builds the service.
func New(cfg Config) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Service{
		cfg:             cfg,
		limiter:         cfg.Limiter,
		pruner:          &pruner{},
		challengePruner: &pruner{},
		sessionPruner:   &pruner{},
		sessions:        newSessionCache(cfg.SessionCacheTTL),
		verified:        newTokenCache(100_000),
		keys:            newKeyCache(cfg.SessionCacheTTL),
		keyCache:        &clientKeyCache{},
	}
	if cfg.FailureAuditWindow > 0 {
		s.failures = newCoalescer(cfg.FailureAuditWindow, cfg.FailureAuditWindow/4, cfg.Now, cfg.Audit.Record)
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
	s.touches.close()
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
	errNotLoggedIn = errs.New(errs.KindUnauthenticated, errs.CodeUnauthenticated, "Not logged in.")
)

// passUnavailable keeps a hasher's 503 (capacity exhausted) and hides anything else.
func passUnavailable(err error) error {
	if errs.IsKind(err, errs.KindUnavailable) {
		return err
	}
	return errs.Internal(err)
}
