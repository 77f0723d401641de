package iam_test

import (
	"strings"
	"testing"
	"time"

	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/iam"
)

// TestLifecycleEveryPair walks the full product of states × actions, so a transition added
// or removed by accident fails here.
func TestLifecycleEveryPair(t *testing.T) {
	t.Parallel()
	legal := map[iam.UserStatus]map[iam.UserAction]iam.UserStatus{
		iam.StatusCreated:  {iam.ActionActivate: iam.StatusActive, iam.ActionDeactivate: iam.StatusInactive},
		iam.StatusActive:   {iam.ActionDeactivate: iam.StatusInactive, iam.ActionDelete: iam.StatusDeleted},
		iam.StatusInactive: {iam.ActionActivate: iam.StatusActive, iam.ActionDelete: iam.StatusDeleted},
		iam.StatusDeleted:  {},
	}
	for _, from := range iam.Statuses() {
		for _, a := range iam.Actions() {
			want, ok := legal[from][a]
			t.Run(string(from)+"/"+string(a), func(t *testing.T) {
				got, err := from.Next(a)
				if ok {
					if err != nil || got != want {
						t.Fatalf("got %s, %v; want %s", got, err, want)
					}
					return
				}
				e, isErr := err.(*errs.Error)
				if !isErr || e.Kind != errs.KindConflict || e.Code != iam.CodeIllegalTransition {
					t.Fatalf("got %s, %v; want illegal_transition", got, err)
				}
				if got != from {
					t.Fatalf("state changed to %s on an illegal transition", got)
				}
				if !strings.Contains(e.Message, string(from)) {
					t.Fatalf("message %q does not name the current state %s", e.Message, from)
				}
			})
		}
	}
}

func TestOnlyActiveUsersLogIn(t *testing.T) {
	t.Parallel()
	for _, s := range iam.Statuses() {
		if got, want := s.CanLogIn(), s == iam.StatusActive; got != want {
			t.Errorf("%s.CanLogIn() = %v", s, got)
		}
		if got, want := s.Terminal(), s == iam.StatusDeleted; got != want {
			t.Errorf("%s.Terminal() = %v", s, got)
		}
		if p, ok := iam.ParseUserStatus(string(s)); !ok || p != s {
			t.Errorf("ParseUserStatus(%s) = %s, %v", s, p, ok)
		}
	}
	if _, ok := iam.ParseUserStatus("Active"); ok {
		t.Error("status names are case-sensitive")
	}
}

func TestUserTransitionMarksDeletion(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 2, 3, 4, 5, 6789, time.UTC)
	u := &iam.User{Status: iam.StatusActive}
	if err := u.Transition(iam.ActionDelete, now); err != nil {
		t.Fatal(err)
	}
	if u.Status != iam.StatusDeleted || u.DeletedAt == nil || !u.DeletedAt.Equal(iam.Stamp(now)) {
		t.Fatalf("after delete: %+v", u)
	}
	if err := u.Transition(iam.ActionActivate, now); !errs.IsKind(err, errs.KindConflict) {
		t.Fatalf("deleted is terminal, got %v", err)
	}
	v := &iam.User{Status: iam.StatusCreated}
	if err := v.Transition(iam.ActionDeactivate, now); err != nil || v.DeletedAt != nil || v.Status != iam.StatusInactive {
		t.Fatalf("deactivate: %+v %v", v, err)
	}
}
