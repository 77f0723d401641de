package port

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/authn"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// The ports of authentication (internal/app/auth). Reads that every login, refresh or
// request makes are one round trip each; changes run inside the unit of work.

// Placement is where a user sits: their tenant, and whether their organization, its tenant and
// its region are all active and live (a user under anything inactive is suspended).
type Placement struct {
	TenantID        uuid.UUID
	HierarchyActive bool
}

// PlacedUser is a user with their placement, read together.
type PlacedUser struct {
	iam.User
	Placement
	// MFAEnabled: the user has a confirmed second factor (read with the account, so a login
	// without one costs no extra round trip).
	MFAEnabled bool
}

// Credentials finds accounts as people identify themselves.
type Credentials interface {
	// ByEmail returns the live user whose email is email (canonical: iam.CanonicalEmail),
	// with their password hash, their account-wide lock count and their placement;
	// errs.NotFound when there is none.
	ByEmail(ctx context.Context, email string) (*PlacedUser, error)
	// Get returns the live user with their placement; errs.NotFound when absent or deleted.
	Get(ctx context.Context, id uuid.UUID) (*PlacedUser, error)
	// ForLogin is what a password login decides on, in one round trip: ByEmail's user (nil
	// when there is none, which is no error) and LoginFailures.Current's counts of k.
	ForLogin(ctx context.Context, email string, k authn.LockKey) (*PlacedUser, authn.Locks, error)
}

// CredentialRepository changes what authentication keeps on a user row. Each is a targeted
// update of those columns only: a login racing an administrator's change must not undo it.
type CredentialRepository interface {
	Credentials
	// LoggedIn records a successful login at at: the account-wide count and lock cleared,
	// last_login_at set, and the password hash replaced by rehash unless it is empty.
	LoggedIn(ctx context.Context, userID uuid.UUID, at time.Time, rehash string) error
	// SetPassword replaces the password hash, sets password_changed_at and clears the
	// account-wide count and lock.
	SetPassword(ctx context.Context, userID uuid.UUID, hash string, at time.Time) error
	// Rehash stores a new hash of the same password (current parameters), nothing else.
	Rehash(ctx context.Context, userID uuid.UUID, hash string) error
}

// SessionView is a session with its user (live or not) and the user's placement: what
// verifying an access token needs, in one round trip.
type SessionView struct {
	Session authn.Session
	User    PlacedUser
	// Standing is the user's second factor and their organization's policy.
	Standing SessionStanding
}

// SessionReader loads sessions.
type SessionReader interface {
	// Get returns the session with its user; errs.NotFound when there is no such session.
	Get(ctx context.Context, id uuid.UUID) (*SessionView, error)
}

// Sessions opens and ends logins. The one session revocation of the service: IAM's lifecycle
// commands and authentication both end sessions through it.
type Sessions interface {
	SessionReader
	Open(ctx context.Context, s authn.Session) error
	// OpenWithToken opens s with its first refresh token: Open and RefreshTokens.Issue, in
	// one statement where the database allows (a login's writes are its round trips).
	OpenWithToken(ctx context.Context, s authn.Session, first authn.RefreshToken) error
	// Revoke ends one session (a no-op when it has ended already).
	Revoke(ctx context.Context, id uuid.UUID, reason string, at time.Time) error
	// RevokeAll revokes every live session of the user except those named and says how many
	// there were.
	RevokeAll(ctx context.Context, userID uuid.UUID, reason string, at time.Time, except ...uuid.UUID) (int, error)
	SessionLister
	// PruneClientSessions deletes the sessions of client_credentials grants that ended before
	// before (they have no refresh tokens; one is opened per grant) and says how many.
	PruneClientSessions(ctx context.Context, before time.Time) (int, error)
}

// RefreshView is a refresh token with its session, user and placement: what a refresh
// decides on, read in one round trip (refresh is the hot path of every long-lived client).
type RefreshView struct {
	Token   authn.RefreshToken
	Session authn.Session
	User    PlacedUser
}

// RefreshTokens keeps the rotation chains of sessions.
type RefreshTokens interface {
	// Issue stores a new token.
	Issue(ctx context.Context, t authn.RefreshToken) error
	// ForRotation reads the token whose hash is hash with its session and user;
	// errs.NotFound when no token has it.
	ForRotation(ctx context.Context, hash []byte) (*RefreshView, error)
	// Rotate spends the token spent at at and issues next, unless the token was spent
	// already (a concurrent refresh won): then it answers false and issues nothing. Of two
	// concurrent rotations of one token exactly one succeeds.
	Rotate(ctx context.Context, spent uuid.UUID, next authn.RefreshToken, at time.Time) (bool, error)
}

// LoginFailures keeps the failure counts of authn.LockoutPolicy. Counting is one atomic
// statement per count, so concurrent failures on any number of replicas sharing the database
// are each counted and exactly one of them sees a lock begin.
type LoginFailures interface {
	// Current reads the client's count against the account and, for an email without an
	// account, the phantom account-wide count (a real account keeps its own on the user row:
	// authn.AccountLock).
	Current(ctx context.Context, k authn.LockKey) (authn.Locks, error)
	// Fail counts one failure of k at now under policy p: always for the pair, and for the
	// account while p.CountsTowardsAccount. before are the counts read before the attempt.
	Fail(ctx context.Context, k authn.LockKey, before authn.Locks, p authn.LockoutPolicy, now time.Time) (authn.Failure, error)
	// ClearPair forgets the client's failures against the account (after a success).
	ClearPair(ctx context.Context, k authn.LockKey) error
	// Prune deletes the counts whose last failure is at or before idleSince: they would
	// start afresh anyway, and emails and addresses sprayed by an attacker must not pile up.
	Prune(ctx context.Context, idleSince time.Time) error
}

// Authentication is the store as authentication reads it outside a transaction.
type Authentication interface {
	Credentials() Credentials
	Sessions() SessionReader
	LoginFailures() LoginFailures
	APIKeys() APIKeys
	// MFA and SessionList serve the second factor and the session endpoints (mfa.go).
	MFA() MFA
	SessionList() SessionLister
	Clients() ClientCredentials
}

// SealedKey is a token-signing key as stored: the private half sealed (internal/crypto/keyring).
type SealedKey struct {
	KID           string
	Algorithm     string
	PublicKey     []byte
	PrivateSealed []byte
	CreatedAt     time.Time
	NotBefore     time.Time
	RetiredAt     *time.Time
}

// SigningKeys are the stored signing keys.
type SigningKeys interface {
	// Trusted lists the keys not retired, or retired after retiredAfter.
	Trusted(ctx context.Context, retiredAfter time.Time) ([]SealedKey, error)
	Insert(ctx context.Context, k SealedKey) error
	// Retire marks the key retired at at unless it already is; false when it was (another
	// instance rotated first).
	Retire(ctx context.Context, kid string, at time.Time) (bool, error)
}
