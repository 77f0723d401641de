package httpapi_test

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/auditquery"
	"github.com/telemetryflow/core/internal/httpapi"
	"github.com/telemetryflow/core/internal/platform/principal"
	"github.com/telemetryflow/core/internal/testutil/audittest"
	"github.com/telemetryflow/core/internal/testutil/iamtest"
	"github.com/telemetryflow/core/oas"
)

// pagedReader serves a first full page, then blocks until released: an export that buffered
// everything before answering would never show the first page.
type pagedReader struct {
	first   []audit.Event
	release chan struct{}
	calls   int
}

func (r *pagedReader) List(ctx context.Context, q audit.ListQuery) (audit.Page, error) {
	r.calls++
	if r.calls == 1 {
		last := r.first[len(r.first)-1]
		return audit.Page{Events: r.first, Next: &audit.Cursor{Timestamp: last.Timestamp, ID: last.ID}}, nil
	}
	select {
	case <-r.release:
		return audit.Page{}, nil
	case <-ctx.Done():
		return audit.Page{}, ctx.Err()
	}
}

func (*pagedReader) Get(context.Context, audit.Scope, uuid.UUID) (audit.Event, error) {
	return audit.Event{}, audit.ErrNotFound
}

func (*pagedReader) Stats(context.Context, audit.StatsQuery) ([]audit.StatsRow, error) {
	return nil, nil
}

func (*pagedReader) UserActivity(context.Context, audit.ActivityQuery) ([]audit.ActivityRow, error) {
	return nil, nil
}

type allSuper struct{}

func (allSuper) IsSuperAdmin(context.Context, uuid.UUID) (bool, error) { return true, nil }

func TestExportStreamsPageByPage(t *testing.T) {
	t.Parallel()
	r := &pagedReader{first: audittest.Sample(1000), release: make(chan struct{})}
	log, err := audit.NewLog(audit.LogConfig{Recorder: &iamtest.AuditLog{}})
	if err != nil {
		t.Fatal(err)
	}
	q, err := auditquery.New(auditquery.Config{Reader: r, Admins: allSuper{}, Audit: log, Cursors: iamtest.Cursors(t)})
	if err != nil {
		t.Fatal(err)
	}
	api, err := httpapi.NewAuditAPI(httpapi.AuditAPIConfig{Queries: q, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(principal.With(context.Background(), &principal.Principal{UserID: uuid.New()}))
	defer cancel()
	res, err := api.ExportAuditLogs(ctx, oas.ExportAuditLogsParams{Format: oas.NewOptExportAuditLogsFormat(oas.ExportAuditLogsFormatCsv)})
	if err != nil {
		t.Fatal(err)
	}
	body := res.(*oas.ExportAuditLogsOKTextCsv).Data
	lines := make(chan int)
	go func() {
		sc := bufio.NewScanner(body)
		n := 0
		for sc.Scan() {
			n++
			if n == 1001 { // header + the whole first page, while the second is still being read
				lines <- n
			}
		}
		close(lines)
	}()
	select {
	case n := <-lines:
		if n != 1001 {
			t.Fatalf("read %d lines", n)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the first page did not arrive while the second was pending: the export buffers")
	}
	close(r.release)
	for range lines {
	}
	if c, ok := body.(io.Closer); ok {
		_ = c.Close()
	}
}
