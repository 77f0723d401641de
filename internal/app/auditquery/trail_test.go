package auditquery_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/auditquery"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/platform/principal"
	"github.com/telemetryflow/core/internal/testutil/audittest"
	"github.com/telemetryflow/core/internal/testutil/iamtest"
)

// oneEvent is a store holding one event (the trail's rule is above the store; the stores have
// their own contract suite).
type oneEvent struct{ e audit.Event }

func (r oneEvent) List(context.Context, audit.ListQuery) (audit.Page, error) {
	return audit.Page{Events: []audit.Event{r.e}}, nil
}

func (r oneEvent) Get(_ context.Context, _ audit.Scope, id uuid.UUID) (audit.Event, error) {
	if id != r.e.ID {
		return audit.Event{}, audit.ErrNotFound
	}
	return r.e, nil
}

func (oneEvent) Stats(context.Context, audit.StatsQuery) ([]audit.StatsRow, error) {
	return []audit.StatsRow{{Count: 1}}, nil
}

func (oneEvent) UserActivity(context.Context, audit.ActivityQuery) ([]audit.ActivityRow, error) {
	return []audit.ActivityRow{{Count: 1}}, nil
}

type super struct{}

func (super) IsSuperAdmin(context.Context, uuid.UUID) (bool, error) { return true, nil }

// trailRecorder keeps the rows, or refuses every one (a closed writer, a full disk).
type trailRecorder struct {
	mu     sync.Mutex
	broken bool
	rows   []audit.Event
}

func (r *trailRecorder) Record(_ context.Context, e audit.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.broken {
		return errors.New("audit writer closed")
	}
	r.rows = append(r.rows, e)
	return nil
}

// TestReadingTheAuditTrailFailsClosed: every read of the audit trail is recorded even with
// TF_AUDIT_READS=none, and when its row cannot be recorded the caller gets an internal error
// instead of the data: nobody reads the audit trail unseen.
func TestReadingTheAuditTrailFailsClosed(t *testing.T) {
	t.Parallel()
	e := audittest.Sample(1)[0]
	ctx := principal.With(context.Background(), &principal.Principal{UserID: uuid.New(), OrganizationID: uuid.New()})
	reads := map[string]func(s *auditquery.Service) (bool, error){
		"list_audit_logs": func(s *auditquery.Service) (bool, error) {
			events, _, err := s.List(ctx, audit.Filter{}, "", 10)
			return len(events) > 0, err
		},
		"get_audit_log": func(s *auditquery.Service) (bool, error) {
			got, err := s.Get(ctx, e.ID)
			return got.ID == e.ID, err
		},
		"get_audit_stats": func(s *auditquery.Service) (bool, error) {
			rows, err := s.Stats(ctx, audit.StatsQuery{})
			return len(rows) > 0, err
		},
		"get_audit_user_activity": func(s *auditquery.Service) (bool, error) {
			rows, err := s.UserActivity(ctx, audit.ActivityQuery{UserID: e.UserID})
			return len(rows) > 0, err
		},
		"export_audit_logs": func(s *auditquery.Service) (bool, error) {
			x, err := s.Export(ctx, audit.Filter{})
			return x != nil, err
		},
	}
	for action, read := range reads {
		rec := &trailRecorder{}
		log, err := audit.NewLog(audit.LogConfig{Recorder: rec, Reads: audit.ReadsNone})
		if err != nil {
			t.Fatal(err)
		}
		s, err := auditquery.New(auditquery.Config{Reader: oneEvent{e}, Admins: super{}, Audit: log, Cursors: iamtest.Cursors(t)})
		if err != nil {
			t.Fatal(err)
		}
		if answered, err := read(s); err != nil || !answered {
			t.Fatalf("%s: answered %v, %v", action, answered, err)
		}
		if len(rec.rows) != 1 || rec.rows[0].Action != action || rec.rows[0].EventType != audit.EventData || rec.rows[0].Result != audit.ResultSuccess {
			t.Fatalf("%s with TF_AUDIT_READS=none: rows %+v", action, rec.rows)
		}
		rec.broken = true
		answered, err := read(s)
		if answered || !errs.IsKind(err, errs.KindInternal) {
			t.Fatalf("%s whose row cannot be recorded: answered %v, error %v; want no data and an internal error", action, answered, err)
		}
	}
}
