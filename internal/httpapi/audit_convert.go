package httpapi

import (
	"bufio"
	"encoding/csv"
	"strconv"
	"time"

	"github.com/go-faster/jx"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/oas"
)

var zeroTime time.Time

// filterParams are the filter parameters list and export share.
type filterParams struct {
	From, To                                   oas.OptDateTime
	UserID, UserEmail                          oas.OptString
	EventType                                  oas.OptAuditEventType
	Result                                     oas.OptAuditResult
	Action, Resource, TenantID, OrganizationID oas.OptString
	WorkspaceID, SessionID                     oas.OptString
	TargetOrganizationID                       oas.OptString
}

func auditFilter(p filterParams) audit.Filter {
	return audit.Filter{
		From: p.From.Or(zeroTime), To: p.To.Or(zeroTime),
		UserID: p.UserID.Or(""), UserEmail: p.UserEmail.Or(""),
		EventType: eventTypeOf(p.EventType), Result: resultOf(p.Result),
		Action: p.Action.Or(""), Resource: p.Resource.Or(""), TenantID: p.TenantID.Or(""),
		OrganizationID: p.OrganizationID.Or(""), WorkspaceID: p.WorkspaceID.Or(""), SessionID: p.SessionID.Or(""),
		TargetOrganizationID: p.TargetOrganizationID.Or(""),
	}
}

// The contract's enums are validated by ogen before a handler runs, so parsing cannot fail.
func eventTypeOf(o oas.OptAuditEventType) audit.EventType {
	t, _ := audit.ParseEventType(string(o.Or("")))
	return t
}

func resultOf(o oas.OptAuditResult) audit.Result {
	r, _ := audit.ParseResult(string(o.Or("")))
	return r
}

func auditLogOf(e audit.Event) oas.AuditLog {
	return oas.AuditLog{
		ID: e.ID, Timestamp: e.Timestamp, UserID: e.UserID, UserEmail: e.UserEmail,
		UserFirstName: e.UserFirstName, UserLastName: e.UserLastName,
		EventType: oas.AuditEventType(e.EventType.String()), Action: e.Action, Resource: e.Resource,
		Result: oas.AuditResult(e.Result.String()), ErrorMessage: e.ErrorMessage, IPAddress: e.IPAddress,
		UserAgent: e.UserAgent, Metadata: e.Metadata, TenantID: e.TenantID, WorkspaceID: e.WorkspaceID,
		OrganizationID: e.OrganizationID, TargetOrganizationID: e.TargetOrganizationID,
		SessionID: e.SessionID, DurationMs: int(e.DurationMS), CreatedAt: e.CreatedAt,
	}
}

// exportColumns is the CSV header: the AuditLog fields, in the contract's order.
var exportColumns = []string{"id", "timestamp", "user_id", "user_email", "user_first_name", "user_last_name",
	"event_type", "action", "resource", "result", "error_message", "ip_address", "user_agent", "metadata",
	"tenant_id", "workspace_id", "organization_id", "target_organization_id", "session_id", "duration_ms", "created_at"}

// exportEncoder writes events as CSV (with a header row) or NDJSON (one AuditLog object per
// line, the same JSON as the list).
type exportEncoder struct {
	w   *bufio.Writer
	csv *csv.Writer
	jx  jx.Encoder
	row []string
}

func newExportEncoder(w *bufio.Writer, asCSV bool) *exportEncoder {
	e := &exportEncoder{w: w}
	if asCSV {
		e.csv = csv.NewWriter(w)
		e.row = make([]string, len(exportColumns))
	}
	return e
}

func (e *exportEncoder) begin() error {
	if e.csv == nil {
		return nil
	}
	if err := e.csv.Write(exportColumns); err != nil {
		return err
	}
	e.csv.Flush()
	return e.csv.Error()
}

func (e *exportEncoder) event(ev audit.Event) error {
	if e.csv == nil {
		l := auditLogOf(ev)
		e.jx.Reset()
		l.Encode(&e.jx)
		if _, err := e.w.Write(e.jx.Bytes()); err != nil {
			return err
		}
		return e.w.WriteByte('\n')
	}
	ts := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }
	r := e.row
	r[0], r[1], r[2], r[3] = ev.ID.String(), ts(ev.Timestamp), cell(ev.UserID), cell(ev.UserEmail)
	r[4], r[5], r[6], r[7] = cell(ev.UserFirstName), cell(ev.UserLastName), ev.EventType.String(), cell(ev.Action)
	r[8], r[9], r[10], r[11] = cell(ev.Resource), ev.Result.String(), cell(ev.ErrorMessage), cell(ev.IPAddress)
	r[12], r[13], r[14], r[15] = cell(ev.UserAgent), cell(ev.Metadata), cell(ev.TenantID), cell(ev.WorkspaceID)
	r[16], r[17], r[18] = cell(ev.OrganizationID), cell(ev.TargetOrganizationID), cell(ev.SessionID)
	r[19], r[20] = strconv.FormatUint(uint64(ev.DurationMS), 10), ts(ev.CreatedAt)
	if err := e.csv.Write(r); err != nil {
		return err
	}
	e.csv.Flush()
	return e.csv.Error()
}

// cell defuses spreadsheet formula injection: a text cell a client controls (a user agent, an
// email) that starts with =, +, -, @, tab or CR would run as a formula when the export is
// opened in a spreadsheet, so it gets a leading apostrophe, the usual text marker.
func cell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
