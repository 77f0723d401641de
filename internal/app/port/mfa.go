package port

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/domain/authn"
)

// MFA stores second factors: the TOTP factor, recovery codes and login challenges. Every
// single-use step (a TOTP step, a recovery code, a challenge) is spent with one conditional
// statement, so two replicas racing with the same code accept it once.
type MFA interface {
	// TOTP is the user's factor, pending or confirmed; errs.NotFound when there is none.
	TOTP(ctx context.Context, userID uuid.UUID) (*authn.TOTPFactor, error)
	// PutPendingTOTP replaces the user's unconfirmed factor (or creates one); it refuses
	// (false) when a confirmed factor exists.
	PutPendingTOTP(ctx context.Context, f authn.TOTPFactor) (bool, error)
	// ConfirmTOTP turns the pending factor on, with step as its first accepted step.
	ConfirmTOTP(ctx context.Context, userID uuid.UUID, step int64, at time.Time) (bool, error)
	// UseStep records step as accepted when it is later than the last one (false: replay).
	UseStep(ctx context.Context, userID uuid.UUID, step int64) (bool, error)
	// Remove deletes the factor and the recovery codes; false when there was no factor.
	Remove(ctx context.Context, userID uuid.UUID) (bool, error)
	// ReplaceRecoveryCodes drops the user's codes and stores these hashes.
	ReplaceRecoveryCodes(ctx context.Context, userID uuid.UUID, hashes [][]byte, at time.Time) error
	// UseRecoveryCode spends an unused code of the user (false: unknown or spent).
	UseRecoveryCode(ctx context.Context, userID uuid.UUID, hash []byte, at time.Time) (bool, error)

	// OpenChallenge stores a login challenge under the hash of its token.
	OpenChallenge(ctx context.Context, c authn.MFAChallenge, tokenHash []byte) error
	// Challenge finds a challenge by token hash; errs.NotFound when unknown.
	Challenge(ctx context.Context, tokenHash []byte) (*authn.MFAChallenge, error)
	// FailChallenge counts a wrong code on the challenge.
	FailChallenge(ctx context.Context, id uuid.UUID) error
	// SpendChallenge marks it used when it is still usable at at (false: it was not).
	SpendChallenge(ctx context.Context, id uuid.UUID, at time.Time) (bool, error)
	// PruneChallenges deletes challenges that expired before.
	PruneChallenges(ctx context.Context, before time.Time) error
}

// SessionStanding is what a session's requests need to know about its user's second factor.
type SessionStanding struct {
	// MFAEnabled: the user has a confirmed factor.
	MFAEnabled bool
	// OrganizationRequiresMFA: the user's organization has require_mfa.
	OrganizationRequiresMFA bool
}

// SessionLister lists and maintains sessions for the session endpoints.
type SessionLister interface {
	// Live lists the user's sessions that are neither revoked nor expired at now, newest first.
	Live(ctx context.Context, userID uuid.UUID, now time.Time) ([]authn.Session, error)
	// Touch sets last_seen_at to at when the stored value is older than staleBefore.
	Touch(ctx context.Context, id uuid.UUID, at, staleBefore time.Time) error
}
