package iam

import (
	"fmt"

	"github.com/telemetryflow/core/internal/domain/errs"
)

// UserStatus is a state of the user lifecycle (seed, "User Lifecycle"):
//
//	created  → active   (activate)      created → inactive (deactivate)
//	active   → inactive (deactivate)    inactive → active  (activate)
//	active   → deleted  (delete)        inactive → deleted (delete)
//
// deleted is terminal. Only active users may log in.
type UserStatus string

const (
	StatusCreated  UserStatus = "created"
	StatusActive   UserStatus = "active"
	StatusInactive UserStatus = "inactive"
	StatusDeleted  UserStatus = "deleted"
)

// Statuses lists every state in lifecycle order.
func Statuses() []UserStatus {
	return []UserStatus{StatusCreated, StatusActive, StatusInactive, StatusDeleted}
}

// ParseUserStatus accepts the lower-case state names.
func ParseUserStatus(s string) (UserStatus, bool) {
	for _, st := range Statuses() {
		if string(st) == s {
			return st, true
		}
	}
	return "", false
}

// CanLogIn reports whether a user in this state may authenticate.
func (s UserStatus) CanLogIn() bool { return s == StatusActive }

// Terminal reports whether no transition leaves this state.
func (s UserStatus) Terminal() bool { return s == StatusDeleted }

// UserAction is an event of the lifecycle.
type UserAction string

const (
	ActionActivate   UserAction = "activate"
	ActionDeactivate UserAction = "deactivate"
	ActionDelete     UserAction = "delete"
)

// Actions lists every lifecycle action.
func Actions() []UserAction { return []UserAction{ActionActivate, ActionDeactivate, ActionDelete} }

// transitions is the whole state machine; anything absent is illegal.
var transitions = map[UserStatus]map[UserAction]UserStatus{
	StatusCreated:  {ActionActivate: StatusActive, ActionDeactivate: StatusInactive},
	StatusActive:   {ActionDeactivate: StatusInactive, ActionDelete: StatusDeleted},
	StatusInactive: {ActionActivate: StatusActive, ActionDelete: StatusDeleted},
}

// Next returns the state action leads to from s, or a 409 illegal_transition error that names
// the current state.
func (s UserStatus) Next(a UserAction) (UserStatus, error) {
	if to, ok := transitions[s][a]; ok {
		return to, nil
	}
	return s, errs.New(errs.KindConflict, CodeIllegalTransition,
		fmt.Sprintf("Cannot %s a user whose status is %s.", a, s))
}
