package event

import "github.com/google/uuid"

// UserCreated: a user was created (status created).
type UserCreated struct {
	UserID         uuid.UUID `json:"user_id"`
	OrganizationID uuid.UUID `json:"organization_id"`
	Email          string    `json:"email"`
}

func (e UserCreated) Meta() Meta { return v1("UserCreated", AggregateUser, e.UserID) }

// UserUpdated: a user's profile changed.
type UserUpdated struct {
	UserID uuid.UUID `json:"user_id"`
	Email  string    `json:"email"`
}

func (e UserUpdated) Meta() Meta { return v1("UserUpdated", AggregateUser, e.UserID) }

// UserActivated: the user may log in from now on.
type UserActivated struct {
	UserID uuid.UUID `json:"user_id"`
	From   string    `json:"from"`
}

func (e UserActivated) Meta() Meta { return v1("UserActivated", AggregateUser, e.UserID) }

// UserDeactivated: the user can no longer log in; their sessions were revoked in the same
// transaction. Token and permission caches drop the user on this event.
type UserDeactivated struct {
	UserID          uuid.UUID `json:"user_id"`
	From            string    `json:"from"`
	SessionsRevoked int       `json:"sessions_revoked"`
}

func (e UserDeactivated) Meta() Meta { return v1("UserDeactivated", AggregateUser, e.UserID) }

// UserDeleted: the user reached the terminal state; sessions revoked in the same transaction.
type UserDeleted struct {
	UserID          uuid.UUID `json:"user_id"`
	SessionsRevoked int       `json:"sessions_revoked"`
}

func (e UserDeleted) Meta() Meta { return v1("UserDeleted", AggregateUser, e.UserID) }

// UserPasswordReset: an administrator set the user's password; every session of the user was
// revoked and any lockout cleared.
type UserPasswordReset struct {
	UserID          uuid.UUID `json:"user_id"`
	SessionsRevoked int       `json:"sessions_revoked"`
}

func (e UserPasswordReset) Meta() Meta { return v1("UserPasswordReset", AggregateUser, e.UserID) }

func init() {
	register[UserCreated]()
	register[UserUpdated]()
	register[UserActivated]()
	register[UserDeactivated]()
	register[UserDeleted]()
	register[UserPasswordReset]()
}
