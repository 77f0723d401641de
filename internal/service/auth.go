package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/auth"
	"github.com/telemetryflow/core/internal/crypto/accesstoken"
	"github.com/telemetryflow/core/internal/crypto/argon2"
	"github.com/telemetryflow/core/internal/crypto/keyring"
	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/internal/domain/rbac"
	"github.com/telemetryflow/core/internal/httpapi"
	"github.com/telemetryflow/core/internal/platform/config"
	"github.com/telemetryflow/core/internal/platform/sqldb"
	"github.com/telemetryflow/core/internal/store"
)

// tokenLeeway tolerates clock skew between this service and token consumers.
const tokenLeeway = 30 * time.Second

// buildKeys wires the signing keys: sealed with the KEK, stored through the store's port.
func buildKeys(cfg *config.Config, st *store.Store, sealer *keyring.Sealer, auditLog *audit.Log, log *slog.Logger, now func() time.Time) (*keyring.Manager, error) {
	if now == nil {
		now = time.Now
	}
	mgr, err := keyring.New(keyring.Config{
		Keys: st.SigningKeys(), UoW: st, Sealer: sealer,
		TokenTTL: cfg.Auth.AccessTokenTTL, Leeway: tokenLeeway, RotateEvery: cfg.Auth.KeyRotation,
		Now: now, Log: log,
		OnRotate: func(ctx context.Context, oldKID, newKID string) {
			auditLog.Record(ctx, audit.NewSystem(ctx, "key_rotation", "signing_key", map[string]any{"old_kid": oldKID, "new_kid": newKID}))
		},
	})
	if err != nil {
		return nil, err
	}
	if err := mgr.Load(context.Background()); err != nil {
		if errors.Is(err, keyring.ErrWrongKEK) {
			return nil, fmt.Errorf("%w; this instance's key-encryption key comes from %s", err, kekSource(cfg))
		}
		return nil, err
	}
	return mgr, nil
}

// buildAuth wires the token service and the authentication service over the store.
func buildAuth(cfg *config.Config, st *store.Store, sec *kekSecrets, keys *keyring.Manager, hasher *argon2.Hasher, auditLog *audit.Log, log *slog.Logger,
	now func() time.Time, m *auth.Metrics, limiter auth.RateLimiter) (*auth.Service, error) {
	if now == nil {
		now = time.Now
	}
	tokens, err := accesstoken.New(accesstoken.Config{
		Issuer: cfg.Auth.Issuer, Audience: cfg.Auth.Audience, TTL: cfg.Auth.AccessTokenTTL, Leeway: tokenLeeway, Now: now,
	}, keys)
	if err != nil {
		return nil, err
	}
	mfa := authn.MFAPolicy{}
	for _, t := range cfg.Auth.RequireMFAForTiers {
		mfa.Tiers = append(mfa.Tiers, rbac.Tier(t))
	}
	return auth.New(auth.Config{
		Secrets: sec.sealer, MFA: mfa, Standings: st.Access(),
		ClientSecretKey: sec.clientSecret, TokenEndpoint: httpapi.Discovery{BaseURL: cfg.HTTP.PublicURL}.TokenEndpoint(),
		AccessTTL: cfg.Auth.AccessTokenTTL, RefreshTTL: cfg.Auth.RefreshTokenTTL, SessionMaxAge: cfg.Auth.SessionMaxAge,
		Lockout: authn.LockoutPolicy{Threshold: cfg.Auth.LockoutThreshold, AccountThreshold: cfg.Auth.AccountLockoutThreshold,
			Duration: cfg.Auth.LockoutDuration},
		LoginRatePerIP: cfg.Auth.LoginRatePerIP, Limiter: limiter, Passwords: passwordPolicy(cfg),
		SessionCacheTTL: cfg.Auth.SessionCacheTTL, Leeway: tokenLeeway, FailureAuditWindow: cfg.Auth.FailureAuditWindow,
		Store: st, UoW: st, Hasher: hasher, Tokens: tokens, APIKeys: sec.apiKeys, Audit: auditLog, Metrics: m, Now: now, Log: log,
	})
}

// kekSource says where this instance's key-encryption key comes from, for the start-up error.
func kekSource(cfg *config.Config) string {
	if cfg.Auth.KeyEncryptionKey != "" {
		return "TF_KEY_ENCRYPTION_KEY"
	}
	return filepath.Join(cfg.Database.DataDir, "keys", "kek") + " (TF_KEY_ENCRYPTION_KEY is not set)"
}

// RotateSigningKey retires the current signing key and creates a new one, for the operator's
// `telemetryflow keys rotate`. Running instances pick the new key up within a minute; tokens
// signed with the old key stay valid until they expire.
func RotateSigningKey(ctx context.Context, cfg *config.Config, log *slog.Logger) (string, error) {
	db, err := sqldb.Open(ctx, sqldb.Config{URL: cfg.Database.URL, DataDir: cfg.Database.DataDir})
	if err != nil {
		return "", err
	}
	defer db.Close()
	if _, err := Migrate(ctx, db, log); err != nil {
		return "", err
	}
	sink, closeSink, err := directAuditSink(ctx, cfg, db, log)
	if err != nil {
		return "", err
	}
	defer closeSink()
	sec, err := loadSecrets(cfg)
	if err != nil {
		return "", err
	}
	st, err := store.New(store.Config{Client: store.Open(db), Dialect: db.Dialect, Cursors: sec.cursors})
	if err != nil {
		return "", err
	}
	auditLog, err := audit.NewLog(audit.LogConfig{Recorder: audit.Direct{Sink: sink}, Logger: log})
	if err != nil {
		return "", err
	}
	mgr, err := buildKeys(cfg, st, sec.sealer, auditLog, log, nil)
	if err != nil {
		return "", err
	}
	k, err := mgr.Rotate(ctx)
	if err != nil {
		return "", err
	}
	return k.KID, nil
}
