package auditsql

import (
	"context"
	"fmt"
	"strings"
	"sync"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/telemetryflow/core/ent/auditlog"
	"github.com/telemetryflow/core/internal/app/audit"
)

// The batch insert is written out rather than built by ent: ent's bulk create builds a
// builder, a mutation and a spec per row (8–15 KB and 60–120 allocations a row), and with
// TF_AUDIT_READS=all there is a row per read. A batch is split into runs of powers of two
// rows (64, 32, …, 1), so at most seven statement texts exist per dialect and the drivers'
// statement caches (SQLite's per connection, pgx's) prepare each once.

// insertColumns are the audit_logs columns in the order insertArgs appends their values.
var insertColumns = []string{
	auditlog.FieldID, auditlog.FieldTimestamp, auditlog.FieldUserID, auditlog.FieldUserEmail, auditlog.FieldUserFirstName,
	auditlog.FieldUserLastName, auditlog.FieldEventType, auditlog.FieldAction, auditlog.FieldResource, auditlog.FieldResult,
	auditlog.FieldErrorMessage, auditlog.FieldIPAddress, auditlog.FieldUserAgent, auditlog.FieldMetadata, auditlog.FieldTenantID,
	auditlog.FieldWorkspaceID, auditlog.FieldOrganizationID, auditlog.FieldTargetOrganizationID, auditlog.FieldSessionID,
	auditlog.FieldDurationMs, auditlog.FieldCreatedAt,
}

// maxRun is the largest run of rows in one statement (64 × 21 = 1,344 parameters).
const maxRun = 64

func insertArgs(args []any, e audit.Event) []any {
	return append(args, e.ID, millis(e.Timestamp), clean(e.UserID), clean(e.UserEmail), clean(e.UserFirstName),
		clean(e.UserLastName), e.EventType.String(), clean(e.Action), clean(e.Resource), e.Result.String(),
		clean(e.ErrorMessage), clean(e.IPAddress), clean(e.UserAgent), clean(e.Metadata), clean(e.TenantID),
		clean(e.WorkspaceID), clean(e.OrganizationID), clean(e.TargetOrganizationID), clean(e.SessionID),
		int64(e.DurationMS), millis(e.CreatedAt))
}

// inserts holds the statement texts of one dialect, by run length.
type inserts struct {
	once    sync.Once
	postgre bool
	texts   map[int]string
}

// dialect learns the store's dialect once, from ent's selector (the sink is built from an ent
// client and a pool, neither of which names it).
func (s *Sink) statements(ctx context.Context) (*inserts, error) {
	var err error
	s.ins.once.Do(func() {
		_, err = s.client.AuditLog.Query().Where(func(sel *entsql.Selector) {
			s.ins.postgre = sel.Dialect() == "postgres"
			sel.Where(entsql.False())
		}).Exist(ctx)
		s.ins.texts = map[int]string{}
		for n := maxRun; n >= 1; n /= 2 {
			s.ins.texts[n] = insertText(n, s.ins.postgre)
		}
	})
	if err != nil {
		s.ins.once = sync.Once{} // try again with the next batch
		return nil, err
	}
	return &s.ins, nil
}

func insertText(rows int, postgres bool) string {
	var b strings.Builder
	b.WriteString("INSERT INTO audit_logs (")
	b.WriteString(strings.Join(insertColumns, ", "))
	b.WriteString(") VALUES ")
	p := 0
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range insertColumns {
			if c > 0 {
				b.WriteString(", ")
			}
			p++
			if postgres {
				fmt.Fprintf(&b, "$%d", p)
			} else {
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
	}
	b.WriteString(" ON CONFLICT (id) DO NOTHING")
	return b.String()
}

// insert writes events in runs of maxRun, then of the powers of two the remainder holds, in
// transactions of at most txRows rows. Each statement on its own took a pool connection and
// committed (an fsync) on its own: under load on PostgreSQL every statement waited in the
// request traffic's queue for a connection, a batch of 3,201 rows outlived its 30 s timeout,
// and the log fell further behind on every retry (docs/benchmarks-request-path.md). A failed
// transaction leaves the earlier ones committed; the retry's ON CONFLICT skips them.
func (s *Sink) insert(ctx context.Context, events []audit.Event) error {
	ins, err := s.statements(ctx)
	if err != nil {
		return err
	}
	args := make([]any, 0, min(len(events), maxRun)*len(insertColumns))
	for len(events) > 0 {
		chunk := events[:min(len(events), txRows)]
		if err := s.insertChunk(ctx, ins, chunk, args); err != nil {
			return err
		}
		events = events[len(chunk):]
	}
	return nil
}

// DefaultBatchSize is the SQL store's batch when TF_AUDIT_BATCH_SIZE is not set: four
// transactions of txRows. The writer's default (50,000) suits ClickHouse, which wants few large
// inserts; here a batch is only rows, each its own B-tree inserts, and one that large behind a
// backlog outlived its 30 s insert timeout and was retried whole, while every decoded event of
// it stayed on the heap: in a saturated SQLite soak the Go heap in use rose to 220–340 MiB, 7
// attempts failed, and the store wrote ~600 events/s; with 4,096 the heap stayed at 70–190
// MiB, no attempt failed and it wrote ~970/s (docs/benchmarks-request-path.md, third pass).
const DefaultBatchSize = 4 * txRows

// txRows bounds one transaction: on SQLite it holds the one write lock, and 1,024 rows take
// a few milliseconds there.
const txRows = 16 * maxRun

func (s *Sink) insertChunk(ctx context.Context, ins *inserts, events []audit.Event, args []any) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	for n := maxRun; len(events) > 0; {
		for n > len(events) {
			n /= 2
		}
		args = args[:0]
		for _, e := range events[:n] {
			args = insertArgs(args, e)
		}
		if _, err := tx.ExecContext(ctx, ins.texts[n], args...); err != nil {
			return err
		}
		events = events[n:]
	}
	return tx.Commit()
}
