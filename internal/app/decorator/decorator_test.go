package decorator_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/decorator"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/platform/principal"
	"github.com/telemetryflow/core/internal/testutil/iamtest"
)

type ResetSomethingSecret struct {
	ID       uuid.UUID `json:"id"`
	Password string    `json:"-"`
}

type entity struct{ ID uuid.UUID }

func TestCommandAuditTrail(t *testing.T) {
	t.Parallel()
	rec := &iamtest.AuditLog{}
	id, created := uuid.New(), uuid.New()
	var fail error
	h := decorator.Command[ResetSomethingSecret, *entity](decorator.Func[ResetSomethingSecret, *entity](
		func(context.Context, ResetSomethingSecret) (*entity, error) {
			if fail != nil {
				return nil, fail
			}
			return &entity{ID: created}, nil
		}), decorator.Observer{Audit: rec}, "user")
	ctx := principal.With(context.Background(), &principal.Principal{UserID: uuid.New(), Email: "a@example.com"})
	cmd := ResetSomethingSecret{ID: id, Password: "hunter2-but-longer"}

	if _, err := h.Handle(ctx, cmd); err != nil {
		t.Fatal(err)
	}
	fail = errs.New(errs.KindForbidden, "tier_escalation", "no")
	_, _ = h.Handle(ctx, cmd)
	fail = errs.New(errs.KindConflict, "illegal_transition", "Cannot delete a user whose status is created.")
	_, _ = h.Handle(ctx, cmd)
	fail = errors.New("connection reset: SELECT * FROM users")
	_, _ = h.Handle(ctx, cmd)

	if len(rec.Rows()) != 4 {
		t.Fatalf("%d events", len(rec.Rows()))
	}
	want := []audit.Result{audit.ResultSuccess, audit.ResultDenied, audit.ResultFailure, audit.ResultFailure}
	for i, e := range rec.Rows() {
		if e.EventType != audit.EventData || e.Action != "reset_something_secret" || e.Resource != "user" || e.Result != want[i] || e.UserEmail != "a@example.com" {
			t.Errorf("event %d: %+v", i, e)
		}
		if strings.Contains(e.Metadata, "hunter2") || !strings.Contains(e.Metadata, id.String()) {
			t.Errorf("event %d metadata %s", i, e.Metadata)
		}
	}
	if !strings.Contains(rec.Rows()[0].Metadata, created.String()) {
		t.Errorf("the created id is missing: %s", rec.Rows()[0].Metadata)
	}
	if got := rec.Rows()[2].ErrorMessage; got != "illegal_transition: Cannot delete a user whose status is created." {
		t.Errorf("error message %q", got)
	}
	if got := rec.Rows()[3].ErrorMessage; strings.Contains(got, "SELECT") {
		t.Errorf("an internal cause leaked into the audit log: %q", got)
	}
}

// TestQueriesFollowTheReadsSetting: whether a query leaves a DATA row is the setting's rule
// applied to what it reveals.
func TestQueriesFollowTheReadsSetting(t *testing.T) {
	t.Parallel()
	kinds := []audit.ReadKind{audit.ReadOrdinary, audit.ReadSensitive, audit.ReadAuditTrail}
	cases := []struct {
		reads audit.Reads
		want  []int // rows per kind, in the order of kinds
	}{
		{audit.ReadsAll, []int{1, 1, 1}},
		{audit.ReadsSensitive, []int{0, 1, 1}},
		{audit.ReadsNone, []int{0, 0, 1}},
	}
	for _, tc := range cases {
		for i, kind := range kinds {
			rec := &iamtest.AuditLog{}
			inner := decorator.Func[GetThing, int](func(context.Context, GetThing) (int, error) { return 7, nil })
			h := decorator.Query[GetThing, int](inner, decorator.Observer{Audit: rec, Reads: tc.reads}, "thing", kind)
			if v, err := h.Handle(context.Background(), GetThing{}); v != 7 || err != nil {
				t.Fatalf("%d %v", v, err)
			}
			if len(rec.Rows()) != tc.want[i] {
				t.Errorf("reads=%s kind=%d: %d rows, want %d", tc.reads, kind, len(rec.Rows()), tc.want[i])
			}
		}
	}
}

type GetThing struct {
	ID uuid.UUID `json:"id" audit:"id"`
}

// TestReadRowsNameWhatWasRead: a read's row carries the target the use case named; a read that
// failed before loading anything (404) still names the id it asked for, as a FAILURE with the
// error's code.
func TestReadRowsNameWhatWasRead(t *testing.T) {
	t.Parallel()
	rec := &iamtest.AuditLog{}
	org, missing := uuid.New(), uuid.New()
	h := decorator.Query[GetThing, *entity](decorator.Func[GetThing, *entity](
		func(ctx context.Context, q GetThing) (*entity, error) {
			if q.ID == missing {
				return nil, errs.NotFound("thing")
			}
			audit.NoteFrom(ctx).Target(q.ID, org)
			return &entity{ID: q.ID}, nil
		}), decorator.Observer{Audit: rec}, "thing", audit.ReadOrdinary)
	found := uuid.New()
	if _, err := h.Handle(context.Background(), GetThing{ID: found}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Handle(context.Background(), GetThing{ID: missing}); !errs.IsKind(err, errs.KindNotFound) {
		t.Fatalf("missing: %v", err)
	}
	if len(rec.Rows()) != 2 {
		t.Fatalf("%d rows", len(rec.Rows()))
	}
	ok, notFound := rec.Rows()[0], rec.Rows()[1]
	if ok.Result != audit.ResultSuccess || ok.Action != "get_thing" || ok.Resource != "thing" || ok.TargetOrganizationID != org.String() ||
		!strings.HasPrefix(ok.Metadata, `{"id":"`+found.String()+`"`) {
		t.Errorf("found: %+v", ok)
	}
	if notFound.Result != audit.ResultFailure || notFound.TargetOrganizationID != "" || !strings.HasPrefix(notFound.ErrorMessage, "thing_not_found: ") ||
		!strings.HasPrefix(notFound.Metadata, `{"id":"`+missing.String()+`"`) {
		t.Errorf("not found: %+v", notFound)
	}
}

// TestCommittedCommandsAreRecordedByTheOutbox: when the unit of work carried the call's row
// into the outbox (the note is committed), the decorator records nothing more, so a command
// has exactly one DATA row; the note's target reaches the rows it does record.
func TestCommittedCommandsAreRecordedByTheOutbox(t *testing.T) {
	t.Parallel()
	rec := &iamtest.AuditLog{}
	org, target := uuid.New(), uuid.New()
	var fail error
	h := decorator.Command[ResetSomethingSecret, none](decorator.Func[ResetSomethingSecret, none](
		func(ctx context.Context, _ ResetSomethingSecret) (none, error) {
			n := audit.NoteFrom(ctx)
			n.Target(target, org)
			if fail != nil {
				return none{}, fail
			}
			n.MarkCommitted() // what the unit of work does once the row is in the outbox
			return none{}, nil
		}), decorator.Observer{Audit: rec}, "user")
	if _, err := h.Handle(context.Background(), ResetSomethingSecret{}); err != nil {
		t.Fatal(err)
	}
	if len(rec.Rows()) != 0 {
		t.Fatalf("a committed command was recorded again by the decorator: %+v", rec.Rows())
	}
	fail = errs.New(errs.KindForbidden, "tier_escalation", "no")
	_, _ = h.Handle(context.Background(), ResetSomethingSecret{})
	if len(rec.Rows()) != 1 || rec.Rows()[0].Result != audit.ResultDenied || rec.Rows()[0].TargetOrganizationID != org.String() ||
		!strings.Contains(rec.Rows()[0].Metadata, target.String()) {
		t.Fatalf("denied call: %+v", rec.Rows())
	}
}

type none struct{}
