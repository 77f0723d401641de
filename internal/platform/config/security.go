package config

import (
	"strconv"
	"time"

	"github.com/telemetryflow/core/internal/platform/auditwriter"
)

// Auth configures passwords, tokens and brute-force defence.
type Auth struct {
	Issuer          string
	Audience        string
	AccessTokenTTL  time.Duration
	RefreshTokenTTL time.Duration // sliding: each refresh extends it
	SessionMaxAge   time.Duration // absolute: no refresh goes past it
	KeyRotation     time.Duration // a new signing key this often

	PasswordMinLength int
	PasswordMaxLength int
	Argon2MemoryKiB   int
	Argon2Iterations  int
	Argon2Parallelism int
	// HashConcurrency bounds simultaneous argon2id computations (memory = this × Argon2MemoryKiB).
	HashConcurrency  int
	HashQueueTimeout time.Duration

	// LockoutThreshold failures against one account from one client address (IPv6: /64) lock
	// that address out of the account; AccountLockoutThreshold failures from all addresses
	// lock the account everywhere. Both locks last LockoutDuration.
	LockoutThreshold        int
	AccountLockoutThreshold int
	LockoutDuration         time.Duration
	LoginRatePerIP          int // attempts per minute per client address

	// KeyEncryptionKey (base64, 32 bytes) seals signing keys at rest; empty = a file in the data
	// directory, created on first start. Replicas sharing a database must share it.
	KeyEncryptionKey string
	// SessionCacheTTL bounds how long another replica's revocation can go unseen here; on this
	// instance revocations take effect immediately.
	SessionCacheTTL time.Duration
	// FailureAuditWindow: failed authentications from one client with one reason add at most one
	// audit row per window, carrying their count (0: one row per failure).
	FailureAuditWindow time.Duration
	// RequireMFAForTiers: holders of a role of these tiers (1 super administrator … 5 demo)
	// must have a second factor (docs/mfa-and-sessions.md); empty = none platform-wide.
	RequireMFAForTiers []int
}

func (a *Auth) settings() []setting {
	return []setting{
		{env: "TF_JWT_ISSUER", def: "telemetryflow-core", usage: "iss claim of access tokens", parse: required(&a.Issuer)},
		{env: "TF_JWT_AUDIENCE", def: "telemetryflow", usage: "aud claim of access tokens", parse: required(&a.Audience)},
		{env: "TF_ACCESS_TOKEN_TTL", def: "15m", usage: "access token lifetime", parse: duration(&a.AccessTokenTTL, time.Minute, 24*time.Hour)},
		{env: "TF_REFRESH_TOKEN_TTL", def: "168h", usage: "refresh token lifetime (sliding)", parse: duration(&a.RefreshTokenTTL, 5*time.Minute, 365*24*time.Hour)},
		{env: "TF_SESSION_MAX_AGE", def: "720h", usage: "absolute session lifetime", parse: duration(&a.SessionMaxAge, 5*time.Minute, 365*24*time.Hour)},
		{env: "TF_KEY_ROTATION_INTERVAL", def: "720h", usage: "signing key rotation period", parse: duration(&a.KeyRotation, time.Hour, 365*24*time.Hour)},
		{env: "TF_PASSWORD_MIN_LENGTH", def: "12", usage: "minimum password length", parse: integer(&a.PasswordMinLength, 8, 128)},
		{env: "TF_PASSWORD_MAX_LENGTH", def: "128", usage: "maximum password length", parse: integer(&a.PasswordMaxLength, 16, 1024)},
		{env: "TF_ARGON2_MEMORY_KIB", def: "19456", usage: "argon2id memory per hash", parse: integer(&a.Argon2MemoryKiB, 8*1024, 1024*1024)},
		{env: "TF_ARGON2_ITERATIONS", def: "2", usage: "argon2id passes", parse: integer(&a.Argon2Iterations, 1, 20)},
		{env: "TF_ARGON2_PARALLELISM", def: "1", usage: "argon2id lanes", parse: integer(&a.Argon2Parallelism, 1, 16)},
		{env: "TF_HASH_CONCURRENCY", def: "0", usage: "simultaneous password hashes; 0 = number of CPUs", parse: integer(&a.HashConcurrency, 0, 1024)},
		{env: "TF_HASH_QUEUE_TIMEOUT", def: "5s", usage: "wait for a hashing slot before answering 503", parse: duration(&a.HashQueueTimeout, 10*time.Millisecond, time.Minute)},
		{env: "TF_LOCKOUT_THRESHOLD", def: "5", usage: "failed logins from one client address (IPv6: /64) that lock that address out of the account", parse: integer(&a.LockoutThreshold, 1, 100)},
		{env: "TF_ACCOUNT_LOCKOUT_THRESHOLD", def: "50", usage: "failed logins from all addresses together that lock the account for everyone", parse: integer(&a.AccountLockoutThreshold, 1, 100000)},
		{env: "TF_LOCKOUT_DURATION", def: "15m", usage: "how long a lock lasts; a failure count idle this long starts afresh", parse: duration(&a.LockoutDuration, time.Second, 24*time.Hour)},
		{env: "TF_LOGIN_RATE_PER_IP", def: "30", usage: "login attempts per minute per client address", parse: integer(&a.LoginRatePerIP, 1, 100000)},
		{env: "TF_KEY_ENCRYPTION_KEY", usage: "base64 32-byte key sealing signing keys; empty = <TF_DATA_DIR>/keys/kek", secret: true, parse: str(&a.KeyEncryptionKey)},
		{env: "TF_SESSION_CACHE_TTL", def: "30s", usage: "how long a verified session is trusted before re-reading it", parse: duration(&a.SessionCacheTTL, 0, time.Hour)},
		{env: "TF_REQUIRE_MFA_FOR_TIERS", usage: "comma-separated role tiers (1 super administrator, 2 administrator, 3 developer, 4 viewer, 5 demo) whose holders must enrol a second factor; empty = none",
			parse: tiers(&a.RequireMFAForTiers)},
		{env: "TF_FAILED_AUTH_AUDIT_WINDOW", def: "1s", usage: "failed authentications per client address and reason coalesce into one audit row (with their count) per window; 0 = a row each", parse: duration(&a.FailureAuditWindow, 0, time.Minute)},
	}
}

// Audit configures the audit pipeline.
type Audit struct {
	RetentionDays int
	QueueSize     int
	// BatchSize is the most events per insert; 0 = the store's own default.
	BatchSize     int
	FlushInterval time.Duration
	// SpoolDir holds events that could not reach the sink yet; empty = <data dir>/audit-spool.
	SpoolDir string
	// Reads is which executed reads leave a DATA row: all, sensitive or none (audit.ParseReads).
	Reads string
}

func (a *Audit) settings() []setting {
	return []setting{
		{env: "TF_AUDIT_RETENTION_DAYS", def: "90", usage: "days audit events are kept (ClickHouse TTL; the SQL store is purged hourly)", parse: integer(&a.RetentionDays, 1, 3650)},
		{env: "TF_AUDIT_QUEUE_SIZE", def: strconv.Itoa(auditwriter.DefaultQueueSize), usage: "backlog of events up to which the audit store counts as keeping up (beyond it, events count as spooled)", parse: integer(&a.QueueSize, 16, 10_000_000)},
		{env: "TF_AUDIT_BATCH_SIZE", usage: "most events per insert; empty = the store's own (50000 for ClickHouse, 4096 for the SQL store)", parse: optionalInteger(&a.BatchSize, 1, 1_000_000)},
		{env: "TF_AUDIT_FLUSH_INTERVAL", def: auditwriter.DefaultFlushInterval.String(), usage: "longest wait before a partial batch is inserted", parse: duration(&a.FlushInterval, time.Millisecond, time.Minute)},
		{env: "TF_AUDIT_SPOOL_DIR", usage: "durable spool directory; empty = <TF_DATA_DIR>/audit-spool", parse: str(&a.SpoolDir)},
		{env: "TF_AUDIT_READS", def: "all", usage: "which executed reads leave a DATA audit row: all, sensitive (who holds what) or none; reads of the audit log are always recorded",
			parse: oneOf(&a.Reads, "all", "sensitive", "none")},
	}
}

// Authz configures the permission cache.
type Authz struct {
	CacheTTL time.Duration
}

func (a *Authz) settings() []setting {
	return []setting{
		{env: "TF_PERMISSION_CACHE_TTL", def: "5m", usage: "safety-net expiry of cached effective permissions", parse: duration(&a.CacheTTL, time.Second, 24*time.Hour)},
	}
}
