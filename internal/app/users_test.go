package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent/session"
	"github.com/telemetryflow/core/internal/app/command"
	"github.com/telemetryflow/core/internal/app/port"
	"github.com/telemetryflow/core/internal/app/query"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/domain/event"
	"github.com/telemetryflow/core/internal/domain/iam"
	"github.com/telemetryflow/core/internal/platform/sqldb"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
	"github.com/telemetryflow/core/internal/testutil/iamtest"
)

func TestUserLifecycle(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := fixture{iamtest.New(t, db)}
		c, q, ctx := f.App.Commands, f.App.Queries, f.Admin()
		o := f.org(t)

		_, err := c.CreateUser.Handle(ctx, command.CreateUser{OrganizationID: o.ID,
			UserFields: iam.UserFields{Email: ptr("not-an-email")}, Password: "short"})
		if e := wantCode(t, err, errs.KindInvalid, errs.CodeValidation); len(e.Fields) != 2 {
			t.Fatalf("want email and password, got %+v", e.Fields)
		}
		u := get(c.CreateUser.Handle(ctx, command.CreateUser{OrganizationID: o.ID,
			UserFields: iam.UserFields{Email: ptr("Ada@Example.COM"), FirstName: ptr("Ada")}, Password: "a long enough password"}))(t)
		if u.Status != iam.StatusCreated || u.Email != "ada@example.com" {
			t.Fatalf("created %+v", u)
		}
		_, err = c.CreateUser.Handle(ctx, command.CreateUser{OrganizationID: o.ID,
			UserFields: iam.UserFields{Email: ptr("ADA@example.com")}, Password: "a long enough password"})
		wantCode(t, err, errs.KindConflict, errs.CodeAlreadyExists, "email")

		// Every illegal transition names the current state.
		_, err = c.DeleteUser.Handle(ctx, command.DeleteUser{ID: u.ID})
		if e := wantCode(t, err, errs.KindConflict, iam.CodeIllegalTransition); !strings.Contains(e.Message, "created") {
			t.Fatalf("message %q", e.Message)
		}
		get(c.ActivateUser.Handle(ctx, command.ActivateUser{ID: u.ID}))(t)
		_, err = c.ActivateUser.Handle(ctx, command.ActivateUser{ID: u.ID})
		if e := wantCode(t, err, errs.KindConflict, iam.CodeIllegalTransition); !strings.Contains(e.Message, "active") {
			t.Fatalf("message %q", e.Message)
		}
		sessions(t, f, u.ID, 2)
		mark := f.Events.Mark()
		d := get(c.DeactivateUser.Handle(ctx, command.DeactivateUser{ID: u.ID}))(t)
		if d.Status != iam.StatusInactive {
			t.Fatalf("deactivated %+v", d)
		}
		if live := liveSessions(t, f, u.ID); live != 0 {
			t.Fatalf("%d sessions survived deactivation", live)
		}
		if ev, ok := f.Events.Last().(event.UserDeactivated); !ok || ev.SessionsRevoked != 2 || ev.From != "active" || f.Events.Mark() != mark+1 {
			t.Fatalf("event %#v", f.Events.Last())
		}
		_, err = c.DeactivateUser.Handle(ctx, command.DeactivateUser{ID: u.ID})
		wantCode(t, err, errs.KindConflict, iam.CodeIllegalTransition)
		get(c.ActivateUser.Handle(ctx, command.ActivateUser{ID: u.ID}))(t)
		sessions(t, f, u.ID, 1)
		get(c.DeleteUser.Handle(ctx, command.DeleteUser{ID: u.ID}))(t)
		if ev, ok := f.Events.Last().(event.UserDeleted); !ok || ev.SessionsRevoked != 1 {
			t.Fatalf("event %#v", f.Events.Last())
		}
		// Deleted is terminal and invisible.
		_, err = q.GetUser.Handle(ctx, query.GetUser{ID: u.ID})
		wantCode(t, err, errs.KindNotFound, "user_not_found")
		_, err = c.ActivateUser.Handle(ctx, command.ActivateUser{ID: u.ID})
		wantCode(t, err, errs.KindNotFound, "user_not_found")
		// Its email can be used again.
		again := get(c.CreateUser.Handle(ctx, command.CreateUser{OrganizationID: o.ID,
			UserFields: iam.UserFields{Email: ptr("ada@example.com")}, Password: "a long enough password"}))(t)
		if again.ID == u.ID {
			t.Fatal("same id")
		}
		// created → inactive is legal.
		if d := get(c.DeactivateUser.Handle(ctx, command.DeactivateUser{ID: again.ID}))(t); d.Status != iam.StatusInactive {
			t.Fatalf("%+v", d)
		}
		list := get(q.ListUsers.Handle(ctx, query.ListUsers{Filter: port.UserFilter{OrganizationID: &o.ID}}))(t)
		if list.Total != 1 || list.Items[0].ID != again.ID {
			t.Fatalf("list %+v", list)
		}
		// Updating: email normalised and unique.
		other := get(c.CreateUser.Handle(ctx, command.CreateUser{OrganizationID: o.ID,
			UserFields: iam.UserFields{Email: ptr("grace@example.com")}, Password: "a long enough password"}))(t)
		_, err = c.UpdateUser.Handle(ctx, command.UpdateUser{ID: other.ID, UserFields: iam.UserFields{Email: ptr("ADA@example.com ")}})
		wantCode(t, err, errs.KindConflict, errs.CodeAlreadyExists, "email")
		if up := get(c.UpdateUser.Handle(ctx, command.UpdateUser{ID: other.ID, UserFields: iam.UserFields{Email: ptr("Grace.Hopper@Example.com"), LastName: ptr("Hopper")}}))(t); up.Email != "grace.hopper@example.com" || up.LastName != "Hopper" {
			t.Fatalf("updated %+v", up)
		}
	})
}

func TestResetUserPassword(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := fixture{iamtest.New(t, db)}
		c, ctx := f.App.Commands, f.Admin()
		o := f.org(t)
		u, _ := f.user(t, o.ID)
		lock := time.Now().Add(time.Hour)
		if err := f.DB.Ent.User.UpdateOneID(u.ID).SetFailedLoginCount(5).SetLockedUntil(lock).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		sessions(t, f, u.ID, 3)
		before := get(f.Store.Users().Get(context.Background(), port.Everything, u.ID))(t)

		_, err := c.ResetUserPassword.Handle(ctx, command.ResetUserPassword{ID: u.ID, NewPassword: "short"})
		wantCode(t, err, errs.KindInvalid, errs.CodeValidation, "new_password")
		_, err = c.ResetUserPassword.Handle(ctx, command.ResetUserPassword{ID: u.ID, NewPassword: strings.ToUpper(u.Email)})
		wantCode(t, err, errs.KindInvalid, errs.CodeValidation, "new_password")
		_, err = c.ResetUserPassword.Handle(ctx, command.ResetUserPassword{ID: uuid.New(), NewPassword: "another long password"})
		wantCode(t, err, errs.KindNotFound, "user_not_found")

		get(c.ResetUserPassword.Handle(ctx, command.ResetUserPassword{ID: u.ID, NewPassword: "another long password"}))(t)
		after := get(f.Store.Users().Get(context.Background(), port.Everything, u.ID))(t)
		want, _ := iamtest.FakeHasher{}.Hash(context.Background(), "another long password")
		if after.PasswordHash != want || after.PasswordHash == before.PasswordHash || after.FailedLoginCount != 0 ||
			after.LockedUntil != nil || after.PasswordChangedAt == nil || !after.PasswordChangedAt.After(*before.PasswordChangedAt) {
			t.Fatalf("after reset %+v", after)
		}
		if live := liveSessions(t, f, u.ID); live != 0 {
			t.Fatalf("%d sessions survived the reset", live)
		}
		if ev, ok := f.Events.Last().(event.UserPasswordReset); !ok || ev.SessionsRevoked != 3 {
			t.Fatalf("event %#v", f.Events.Last())
		}
		// The audit trail records the reset without the password.
		rows := f.Audit.Rows()
		last := rows[len(rows)-1]
		if last.Action != "reset_user_password" || strings.Contains(last.Metadata, "another long password") || !strings.Contains(last.Metadata, u.ID.String()) {
			t.Fatalf("audit %+v", last)
		}
	})
}

// sessions inserts n live sessions for the user.
func sessions(t *testing.T, f fixture, user uuid.UUID, n int) {
	t.Helper()
	for range n {
		if _, err := f.DB.Ent.Session.Create().SetUserID(user).SetExpiresAt(time.Now().Add(time.Hour)).Save(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
}

func liveSessions(t *testing.T, f fixture, user uuid.UUID) int {
	t.Helper()
	return get(f.DB.Ent.Session.Query().Where(session.UserIDEQ(user), session.RevokedAtIsNil()).Count(context.Background()))(t)
}
