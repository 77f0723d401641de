package event

import "github.com/google/uuid"

// Second-factor and session-control events (docs/mfa-and-sessions.md). Each changes what a
// user's cached sessions know (whether they must still enrol, whether they still exist), so
// each drops that user's sessions from every replica's cache.

// MFAEnabled: the user confirmed a TOTP factor; logins now need a second factor.
type MFAEnabled struct {
	UserID uuid.UUID `json:"user_id"`
}

func (e MFAEnabled) Meta() Meta { return v1("MFAEnabled", AggregateUser, e.UserID) }

// MFADisabled: the user removed their factor, or an administrator reset it (Reason
// "disabled" or "reset"); a reset also ended the user's sessions.
type MFADisabled struct {
	UserID          uuid.UUID `json:"user_id"`
	Reason          string    `json:"reason"`
	SessionsRevoked int       `json:"sessions_revoked,omitempty"`
}

func (e MFADisabled) Meta() Meta { return v1("MFADisabled", AggregateUser, e.UserID) }

// UserSessionsRevoked: an administrator ended all of a user's sessions.
type UserSessionsRevoked struct {
	UserID          uuid.UUID `json:"user_id"`
	SessionsRevoked int       `json:"sessions_revoked"`
}

func (e UserSessionsRevoked) Meta() Meta { return v1("UserSessionsRevoked", AggregateUser, e.UserID) }

func init() {
	register[MFAEnabled]()
	register[MFADisabled]()
	register[UserSessionsRevoked]()
}
