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
	"github.com/telemetryflow/core/internal/platform/config"
	"github.com/telemetryflow/core/internal/platform/sqldb"
)

// tokenLeeway tolerates clock skew between this service and token consumers.
const tokenLeeway = 30 * time.Second

// buildAuth wires keys, tokens and the authentication service.
func buildAuth(cfg *config.Config, db *sqldb.DB, hasher *argon2.Hasher, rec audit.Recorder, auditLog *audit.Log, log *slog.Logger,
	now func() time.Time, m *auth.Metrics) (*auth.Service, *keyring.Manager, error) {
	if now == nil {
		now = time.Now
	}
	kek, err := keyring.LoadKEK(cfg.Auth.KeyEncryptionKey, filepath.Join(cfg.Database.DataDir, "keys", "kek"))
	if err != nil {
		return nil, nil, err
	}
	sealer, err := keyring.NewSealer(kek)
	if err != nil {
		return nil, nil, err
	}
	mgr, err := keyring.NewManager(db.Ent, sealer, keyring.Config{
		TokenTTL: cfg.Auth.AccessTokenTTL, Leeway: tokenLeeway, RotateEvery: cfg.Auth.KeyRotation,
		Now: now, Log: log,
		OnRotate: func(ctx context.Context, oldKID, newKID string) {
			auditLog.Record(ctx, audit.NewSystem(ctx, "key_rotation", "signing_key", map[string]any{"old_kid": oldKID, "new_kid": newKID}))
		},
	})
	if err != nil {
		return nil, nil, err
	}
	if err := mgr.Load(context.Background()); err != nil {
		if errors.Is(err, keyring.ErrWrongKEK) {
			return nil, nil, fmt.Errorf("%w; this instance's key-encryption key comes from %s", err, kekSource(cfg))
		}
		return nil, nil, err
	}
	tokens, err := accesstoken.New(accesstoken.Config{
		Issuer: cfg.Auth.Issuer, Audience: cfg.Auth.Audience, TTL: cfg.Auth.AccessTokenTTL, Leeway: tokenLeeway, Now: now,
	}, mgr)
	if err != nil {
		return nil, nil, err
	}
	svc, err := auth.New(auth.Config{
		AccessTTL: cfg.Auth.AccessTokenTTL, RefreshTTL: cfg.Auth.RefreshTokenTTL, SessionMaxAge: cfg.Auth.SessionMaxAge,
		Lockout: auth.LockoutPolicy{Threshold: cfg.Auth.LockoutThreshold, AccountThreshold: cfg.Auth.AccountLockoutThreshold,
			Duration: cfg.Auth.LockoutDuration},
		LoginRatePerIP: cfg.Auth.LoginRatePerIP, Passwords: passwordPolicy(cfg),
		SessionCacheTTL: cfg.Auth.SessionCacheTTL, Leeway: tokenLeeway, Now: now, Metrics: m, Dialect: db.Dialect,
		FailureAuditWindow: cfg.Auth.FailureAuditWindow,
	}, db.Ent, hasher, tokens, rec, log)
	if err != nil {
		return nil, nil, err
	}
	return svc, mgr, nil
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
	rec := audit.Direct{Sink: sink}
	auditLog, err := audit.NewLog(audit.LogConfig{Recorder: rec, Logger: log})
	if err != nil {
		return "", err
	}
	hasher, err := argon2.New(argon2.Config{MemoryKiB: 8 * 1024, Iterations: 1, Parallelism: 1})
	if err != nil {
		return "", err
	}
	svc, mgr, err := buildAuth(cfg, db, hasher, rec, auditLog, log, nil, nil)
	if err != nil {
		return "", err
	}
	defer svc.Close()
	k, err := mgr.Rotate(ctx)
	if err != nil {
		return "", err
	}
	return k.KID, nil
}
