package decorator_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/decorator"
	"github.com/telemetryflow/core/internal/platform/principal"
	"github.com/telemetryflow/core/internal/platform/reqinfo"
)

type discard struct{}

func (discard) Record(context.Context, audit.Event) error { return nil }

// BenchmarkQueryAudit is what the audit decorator adds to one read (GetThing, the shape of
// GET /users/{id}) before the writer's Record: the note, the row (id, time, caller, request
// facts) and its JSON metadata. reads=none is the same decorated query without the row.
// Record's own cost is BenchmarkRecord in internal/platform/auditwriter.
func BenchmarkQueryAudit(b *testing.B) {
	org := uuid.New()
	inner := decorator.Func[GetThing, *entity](func(ctx context.Context, q GetThing) (*entity, error) {
		audit.NoteFrom(ctx).Target(q.ID, org)
		return &entity{ID: q.ID}, nil
	})
	ctx := principal.With(context.Background(), &principal.Principal{UserID: uuid.New(), SessionID: uuid.New(),
		TenantID: uuid.New(), OrganizationID: org, Email: "reader@example.com", FirstName: "Rea", LastName: "Der"})
	ctx = reqinfo.With(ctx, &reqinfo.Info{IP: "192.0.2.10", UserAgent: "bench/1.0", Start: time.Now()})
	q := GetThing{ID: uuid.New()}
	for _, reads := range []audit.Reads{audit.ReadsAll, audit.ReadsNone} {
		b.Run("reads="+reads.String(), func(b *testing.B) {
			h := decorator.Query[GetThing, *entity](inner, decorator.Observer{Audit: discard{}, Reads: reads}, "thing", audit.ReadOrdinary)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := h.Handle(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
