package event

import "github.com/google/uuid"

// UserCreated: a user was created (status created).
type UserCreated struct {
	UserID         uuid.UUID `json:"user_id"`
	OrganizationID uuid.UUID `json:"organization_id"`
	Email          string    `json:"email"`
}

func (e UserCreated) Meta() Meta { return Meta{"UserCreated", 1, AggregateUser, e.UserID.String()} }

// UserUpdated: a user's profile changed.
type UserUpdated struct {
	UserID uuid.UUID `json:"user_id"`
	Email  string    `json:"email"`
}

func (e UserUpdated) Meta() Meta { return Meta{"UserUpdated", 1, AggregateUser, e.UserID.String()} }

// UserActivated: the user may log in from now on.
type UserActivated struct {
	UserID uuid.UUID `json:"user_id"`
	From   string    `json:"from"`
}

func (e UserActivated) Meta() Meta { return Meta{"UserActivated", 1, AggregateUser, e.UserID.String()} }

// UserDeactivated: the user can no longer log in; their sessions were revoked in the same
// transaction. Token and permission caches drop the user on this event.
type UserDeactivated struct {
	UserID          uuid.UUID `json:"user_id"`
	From            string    `json:"from"`
	SessionsRevoked int       `json:"sessions_revoked"`
}

func (e UserDeactivated) Meta() Meta {
	return Meta{"UserDeactivated", 1, AggregateUser, e.UserID.String()}
}

// UserDeleted: the user reached the terminal state; sessions revoked in the same transaction.
type UserDeleted struct {
	UserID          uuid.UUID `json:"user_id"`
	SessionsRevoked int       `json:"sessions_revoked"`
}

func (e UserDeleted) Meta() Meta { return Meta{"UserDeleted", 1, AggregateUser, e.UserID.String()} }

// UserPasswordReset: an administrator set the user's password; every session of the user was
// revoked and any lockout cleared.
type UserPasswordReset struct {
	UserID          uuid.UUID `json:"user_id"`
	SessionsRevoked int       `json:"sessions_revoked"`
}

func (e UserPasswordReset) Meta() Meta {
	return Meta{"UserPasswordReset", 1, AggregateUser, e.UserID.String()}
}

func init() {
	register[UserCreated]()
	register[UserUpdated]()
	register[UserActivated]()
	register[UserDeactivated]()
	register[UserDeleted]()
	register[UserPasswordReset]()
}
