package auditch

import (
	"strconv"
	"strings"
	"time"

	"github.com/ClickHouse/ch-go/proto"
	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
)

// query is a statement under construction: fixed SQL fragments written here, every value a
// named, typed parameter ({name:Type}) that ClickHouse parses as data, never as SQL.
type query struct {
	conds  []string
	params []proto.Parameter
	// scoped is set when the query is limited to one organization ({scope_org:String}); the
	// statements then read that organization's events in two parts (see scope).
	scoped bool
}

func (q *query) where(cond string) { q.conds = append(q.conds, cond) }

// whereSQL renders the conditions joined by AND.
func (q *query) whereSQL() string { return q.whereWith() }

// whereWith renders first and then the query's conditions, joined by AND.
func (q *query) whereWith(first ...string) string {
	all := append(first[:len(first):len(first)], q.conds...)
	if len(all) == 0 {
		return ""
	}
	return "WHERE " + strings.Join(all, "\n  AND ")
}

// The two parts of an organization's scope: the events of its members (organization_id, the
// primary key's first column) and the events that targeted it from another organization
// (target_organization_id, a bloom filter index; disjoint from the first part, so nothing is
// read twice).
const (
	scopeActor  = "organization_id = {scope_org:String}"
	scopeTarget = "target_organization_id = {scope_org:String} AND organization_id != {scope_org:String}"
)

func (q *query) str(name, v string) { q.set(name, quoteString(v)) }

func (q *query) int(name string, v int64) { q.set(name, "'"+strconv.FormatInt(v, 10)+"'") }

func (q *query) id(name string, v uuid.UUID) { q.set(name, "'"+v.String()+"'") }

func (q *query) date(name string, v time.Time) { q.set(name, "'"+v.UTC().Format(time.DateOnly)+"'") }

func (q *query) set(name, quoted string) {
	q.params = append(q.params, proto.Parameter{Key: name, Value: quoted})
}

// quoteString encodes a parameter value for the native protocol. The server reads the value
// as a quoted literal and then parses its content as the declared type in ClickHouse's
// escaped text format, so it is escaped twice: first for the escaped format (backslash and
// control characters), then for the quoted literal (backslash and quote). Anything a caller
// sends comes back as the same bytes and is compared as data.
func quoteString(v string) string {
	var b strings.Builder
	b.Grow(len(v) + 2)
	b.WriteByte('\'')
	for i := 0; i < len(v); i++ {
		// Level 1: the escaped text format of String; level 2: the quoted literal around it
		// (every backslash of level 1 doubled, quotes escaped).
		switch c := v[i]; c {
		case '\\':
			b.WriteString(`\\\\`)
		case '\t':
			b.WriteString(`\\t`)
		case '\n':
			b.WriteString(`\\n`)
		case '\r':
			b.WriteString(`\\r`)
		case 0:
			b.WriteString(`\\0`)
		case '\'':
			b.WriteString(`\'`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// scope notes the organization restriction (the caller renders it, see scopeActor and
// scopeTarget); false means the scope matches nothing.
func (q *query) scope(s audit.Scope) bool {
	if s.All {
		return true
	}
	if s.OrganizationID == "" {
		return false
	}
	q.scoped = true
	q.str("scope_org", s.OrganizationID)
	return true
}

// filter adds the event filter's conditions.
func (q *query) filter(f audit.Filter) {
	if !f.From.IsZero() {
		q.where("timestamp >= fromUnixTimestamp64Milli({from:Int64})")
		q.int("from", f.From.UnixMilli())
	}
	if !f.To.IsZero() {
		q.where("timestamp < fromUnixTimestamp64Milli({to:Int64})")
		q.int("to", f.To.UnixMilli())
	}
	for _, c := range []struct{ col, v string }{
		{"user_id", f.UserID}, {"user_email", f.UserEmail}, {"action", f.Action}, {"resource", f.Resource},
		{"tenant_id", f.TenantID}, {"organization_id", f.OrganizationID}, {"workspace_id", f.WorkspaceID},
		{"session_id", f.SessionID}, {"target_organization_id", f.TargetOrganizationID},
	} {
		if c.v != "" {
			q.where(c.col + " = {f_" + c.col + ":String}")
			q.str("f_"+c.col, c.v)
		}
	}
	q.enums(f.EventType, f.Result)
}

func (q *query) enums(t audit.EventType, r audit.Result) {
	if t != 0 {
		q.where("CAST(event_type, 'Int8') = {event_type:Int8}")
		q.int("event_type", int64(t))
	}
	if r != 0 {
		q.where("CAST(result, 'Int8') = {result:Int8}")
		q.int("result", int64(r))
	}
}

// days adds a [first, last] day range on column col, for the daily summaries.
func (q *query) days(col string, from, to time.Time) bool {
	first, last, ok := audit.DayRange(from, to)
	if !ok {
		return false
	}
	if !first.IsZero() {
		q.where(col + " >= {first_day:Date}")
		q.date("first_day", first)
	}
	if !last.IsZero() {
		q.where(col + " <= {last_day:Date}")
		q.date("last_day", last)
	}
	return true
}
