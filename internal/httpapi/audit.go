package httpapi

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/auditquery"
	"github.com/telemetryflow/core/oas"
)

// AuditQueries are the audit trail's reads (auditquery.Service: the scope rule and each
// read's own audit row live there).
type AuditQueries interface {
	List(ctx context.Context, f audit.Filter, cursor string, limit int) ([]audit.Event, string, error)
	Get(ctx context.Context, id uuid.UUID) (audit.Event, error)
	Stats(ctx context.Context, q audit.StatsQuery) ([]audit.StatsRow, error)
	UserActivity(ctx context.Context, q audit.ActivityQuery) ([]audit.ActivityRow, error)
	Export(ctx context.Context, f audit.Filter) (*auditquery.Export, error)
}

// AuditAPIConfig wires the audit area; every field is required.
type AuditAPIConfig struct {
	Queries AuditQueries
	// Log receives exports cut short by the store.
	Log *slog.Logger
}

// Validate reports a missing field.
func (c AuditAPIConfig) Validate() error {
	if c.Queries == nil || c.Log == nil {
		return errors.New("httpapi: the audit area needs its queries and a logger")
	}
	return nil
}

// AuditAPI serves the audit query and export operations. Who may call them (audit:read,
// audit:export) is enforced by the Gate from the contract; what they see is decided by the
// application layer (auditquery).
type AuditAPI struct {
	q   AuditQueries
	log *slog.Logger
}

// NewAuditAPI builds the area.
func NewAuditAPI(cfg AuditAPIConfig) (*AuditAPI, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &AuditAPI{q: cfg.Queries, log: cfg.Log}, nil
}

// ListAuditLogs implements listAuditLogs.
func (a *AuditAPI) ListAuditLogs(ctx context.Context, p oas.ListAuditLogsParams) (*oas.AuditLogList, error) {
	f := auditFilter(filterParams{p.From, p.To, p.UserID, p.UserEmail, p.EventType, p.Result, p.Action,
		p.Resource, p.TenantID, p.OrganizationID, p.WorkspaceID, p.SessionID, p.TargetOrganizationID})
	events, next, err := a.q.List(ctx, f, p.Cursor.Or(""), p.Limit.Or(50))
	if err != nil {
		return nil, err
	}
	out := &oas.AuditLogList{Items: make([]oas.AuditLog, len(events))}
	for i, e := range events {
		out.Items[i] = auditLogOf(e)
	}
	if next != "" {
		out.NextCursor = oas.NewOptString(next)
	}
	return out, nil
}

// GetAuditLog implements getAuditLog.
func (a *AuditAPI) GetAuditLog(ctx context.Context, p oas.GetAuditLogParams) (*oas.AuditLog, error) {
	e, err := a.q.Get(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	out := auditLogOf(e)
	return &out, nil
}

// GetAuditStats implements getAuditStats.
func (a *AuditAPI) GetAuditStats(ctx context.Context, p oas.GetAuditStatsParams) (*oas.AuditStats, error) {
	rows, err := a.q.Stats(ctx, audit.StatsQuery{
		From: p.From.Or(zeroTime), To: p.To.Or(zeroTime), EventType: eventTypeOf(p.EventType), Result: resultOf(p.Result),
	})
	if err != nil {
		return nil, err
	}
	out := &oas.AuditStats{Items: make([]oas.AuditStatsRow, len(rows))}
	for i, r := range rows {
		out.Items[i] = oas.AuditStatsRow{Date: r.Date, EventType: oas.AuditEventType(r.EventType.String()),
			Result: oas.AuditResult(r.Result.String()), Count: int64(r.Count)}
	}
	return out, nil
}

// GetAuditUserActivity implements getAuditUserActivity.
func (a *AuditAPI) GetAuditUserActivity(ctx context.Context, p oas.GetAuditUserActivityParams) (*oas.AuditUserActivity, error) {
	rows, err := a.q.UserActivity(ctx, audit.ActivityQuery{UserID: p.ID.String(), From: p.From.Or(zeroTime), To: p.To.Or(zeroTime)})
	if err != nil {
		return nil, err
	}
	out := &oas.AuditUserActivity{UserID: p.ID, Items: make([]oas.AuditUserActivityRow, len(rows))}
	for i, r := range rows {
		out.Items[i] = oas.AuditUserActivityRow{Date: r.Date, EventType: oas.AuditEventType(r.EventType.String()), Count: int64(r.Count)}
	}
	return out, nil
}

// ExportAuditLogs implements exportAuditLogs: the body is a pipe fed page by page from the
// store while ogen copies it to the client, so nothing is buffered beyond one page.
func (a *AuditAPI) ExportAuditLogs(ctx context.Context, p oas.ExportAuditLogsParams) (oas.ExportAuditLogsRes, error) {
	f := auditFilter(filterParams{p.From, p.To, p.UserID, p.UserEmail, p.EventType, p.Result, p.Action,
		p.Resource, p.TenantID, p.OrganizationID, p.WorkspaceID, p.SessionID, p.TargetOrganizationID})
	x, err := a.q.Export(ctx, f)
	if err != nil {
		return nil, err
	}
	csv := p.Format.Or(oas.ExportAuditLogsFormatNdjson) == oas.ExportAuditLogsFormatCsv
	pr, pw := io.Pipe()
	// When the request ends (client gone, response written) the reader side closes, which
	// unblocks and ends the producer below.
	stop := context.AfterFunc(ctx, func() { _ = pr.CloseWithError(context.Cause(ctx)) })
	go func() {
		defer stop()
		err := a.stream(ctx, x, pw, csv)
		if err != nil && ctx.Err() == nil {
			a.log.ErrorContext(ctx, "audit export cut short", "error", err)
		}
		_ = pw.CloseWithError(err)
	}()
	if csv {
		return &oas.ExportAuditLogsOKTextCsv{Data: pr}, nil
	}
	return &oas.ExportAuditLogsOKApplicationXNdjson{Data: pr}, nil
}

func (a *AuditAPI) stream(ctx context.Context, x *auditquery.Export, w io.Writer, csv bool) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := newExportEncoder(bw, csv)
	if err := enc.begin(); err != nil {
		return err
	}
	for {
		page, err := x.Next(ctx)
		if err != nil {
			return err
		}
		if len(page) == 0 {
			return bw.Flush()
		}
		for _, e := range page {
			if err := enc.event(e); err != nil {
				return err
			}
		}
		// Each page goes out as it is read: the client sees progress, memory stays at a page.
		if err := bw.Flush(); err != nil {
			return err
		}
	}
}
