package audittest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/app/audit"
)

// Dataset is a deterministic spread of events over three UTC days, two organizations (each in
// its own tenant), three users and some anonymous system events, with timestamp ties. Some
// events target the other organization (a change made across organizations), some their own.
type Dataset struct {
	Events           []audit.Event
	OrgA, OrgB       string
	TenantA, TenantB string
	// Users: U1 and U2 belong to OrgA, U3 to OrgB.
	U1, U2, U3 string
	Days       [3]time.Time
}

var (
	actions   = []string{"login", "create_user", "delete_role", "list_users", "get_audit_log"}
	resources = []string{"user", "role", "session"}
)

// NewDataset builds n events (n ≥ 100 gives every combination several times).
func NewDataset(n int) *Dataset {
	d := &Dataset{
		OrgA: uuid.NewString(), OrgB: uuid.NewString(), TenantA: uuid.NewString(), TenantB: uuid.NewString(),
		U1: uuid.NewString(), U2: uuid.NewString(), U3: uuid.NewString(),
	}
	day0 := Base().Truncate(24 * time.Hour)
	for i := range d.Days {
		d.Days[i] = day0.AddDate(0, 0, i)
	}
	var prev time.Time
	for i := range n {
		ts := d.Days[i%3].Add((time.Duration(i*7919)*time.Second)%(23*time.Hour) + time.Duration(i)*time.Millisecond)
		if i%10 == 9 {
			ts = prev // a tie: the cursor must order by id within one timestamp
		}
		prev = ts
		e := audit.Event{
			ID: uuid.Must(uuid.NewRandom()), Timestamp: ts, CreatedAt: ts.Add(time.Millisecond),
			EventType: audit.EventType(1 + i%4), Result: audit.Result(1 + (i/4)%3),
			Action: actions[i%len(actions)], Resource: resources[i%len(resources)],
			IPAddress: fmt.Sprintf("192.0.2.%d", i%250), UserAgent: "agent/" + fmt.Sprint(i%3),
			Metadata: fmt.Sprintf(`{"i":%d}`, i), SessionID: fmt.Sprintf("session-%d", i%7), DurationMS: uint32(i),
		}
		switch {
		case i%25 == 0: // anonymous, no organization: visible to super administrators only
		case i%4 == 3:
			e.UserID, e.UserEmail, e.OrganizationID, e.TenantID = d.U3, "u3@b.example", d.OrgB, d.TenantB
		case i%2 == 0:
			e.UserID, e.UserEmail, e.OrganizationID, e.TenantID = d.U1, "u1@a.example", d.OrgA, d.TenantA
		default:
			e.UserID, e.UserEmail, e.OrganizationID, e.TenantID = d.U2, "u2@a.example", d.OrgA, d.TenantA
		}
		if e.OrganizationID != "" && i%6 < 2 {
			e.WorkspaceID = fmt.Sprintf("workspace-%d", i%6)
		}
		switch {
		case e.OrganizationID == "" && i%50 == 0:
			e.TargetOrganizationID = d.OrgB // no actor organization, but a target
		case e.OrganizationID != "" && i%7 == 2: // across organizations
			e.TargetOrganizationID = d.OrgB
			if e.OrganizationID == d.OrgB {
				e.TargetOrganizationID = d.OrgA
			}
		case e.OrganizationID != "" && i%7 == 4:
			e.TargetOrganizationID = e.OrganizationID
		}
		if e.Result != audit.ResultSuccess {
			e.ErrorMessage = "refused"
		}
		e.UserFirstName, e.UserLastName = "First", "Last"
		d.Events = append(d.Events, e)
	}
	return d
}

// Write stores the dataset in batches of 50.
func (d *Dataset) Write(t *testing.T, s audit.Sink) {
	t.Helper()
	for start := 0; start < len(d.Events); start += 50 {
		if err := s.Write(context.Background(), d.Events[start:min(start+50, len(d.Events))]); err != nil {
			t.Fatal(err)
		}
	}
}

// Visible is the reference semantics of a scope: everything for a super administrator,
// otherwise the events whose actor or target belongs to the organization.
func Visible(e audit.Event, sc audit.Scope) bool {
	return sc.All || (sc.OrganizationID != "" && (e.OrganizationID == sc.OrganizationID || e.TargetOrganizationID == sc.OrganizationID))
}

// matches is the reference semantics of a filter and a scope.
func matches(e audit.Event, sc audit.Scope, f audit.Filter) bool {
	if !Visible(e, sc) {
		return false
	}
	str := func(want, got string) bool { return want == "" || want == got }
	return (f.From.IsZero() || !e.Timestamp.Before(f.From)) && (f.To.IsZero() || e.Timestamp.Before(f.To)) &&
		str(f.UserID, e.UserID) && str(f.UserEmail, e.UserEmail) && str(f.Action, e.Action) &&
		str(f.Resource, e.Resource) && str(f.TenantID, e.TenantID) && str(f.OrganizationID, e.OrganizationID) &&
		str(f.WorkspaceID, e.WorkspaceID) && str(f.SessionID, e.SessionID) && str(f.TargetOrganizationID, e.TargetOrganizationID) &&
		(f.EventType == 0 || f.EventType == e.EventType) && (f.Result == 0 || f.Result == e.Result)
}

// ListAll follows the cursor to the end with the given page size.
func ListAll(t *testing.T, r audit.Reader, sc audit.Scope, f audit.Filter, limit int) []audit.Event {
	t.Helper()
	var out []audit.Event
	q := audit.ListQuery{Scope: sc, Filter: f, Limit: limit}
	for pages := 0; ; pages++ {
		p, err := r.List(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Events) > limit {
			t.Fatalf("page of %d, limit %d", len(p.Events), limit)
		}
		out = append(out, p.Events...)
		if p.Next == nil {
			return out
		}
		if pages > 10000 {
			t.Fatal("cursor does not advance")
		}
		q.After = p.Next
	}
}

func idSet(events []audit.Event) map[uuid.UUID]int {
	m := map[uuid.UUID]int{}
	for _, e := range events {
		m[e.ID]++
	}
	return m
}

func checkNewestFirst(t *testing.T, events []audit.Event) {
	t.Helper()
	for i := 1; i < len(events); i++ {
		if events[i].Timestamp.After(events[i-1].Timestamp) {
			t.Fatalf("row %d (%v) is newer than row %d (%v)", i, events[i].Timestamp, i-1, events[i-1].Timestamp)
		}
	}
}

// RunReaderContract checks the query side on a store that open returns empty.
func RunReaderContract(t *testing.T, open func(t *testing.T) Store) {
	ctx := context.Background()
	all := audit.Scope{All: true}
	s := open(t)
	d := NewDataset(300)
	d.Write(t, s)

	t.Run("pages follow the cursor newest first without gaps or repeats", func(t *testing.T) {
		one := ListAll(t, s, all, audit.Filter{}, audit.MaxListLimit)
		paged := ListAll(t, s, all, audit.Filter{}, 7)
		if len(one) != len(d.Events) || !slices.EqualFunc(one, paged, func(a, b audit.Event) bool { return a.ID == b.ID }) {
			t.Fatalf("one page %d rows, pages of 7: %d rows, want %d in the same order", len(one), len(paged), len(d.Events))
		}
		checkNewestFirst(t, one)
		if got := idSet(paged); len(got) != len(d.Events) || !maps.Equal(got, idSet(d.Events)) {
			t.Fatal("paged ids differ from the stored ids")
		}
	})

	mid := d.Events[150].Timestamp
	filters := []struct {
		name string
		f    audit.Filter
	}{
		{"from", audit.Filter{From: mid}},
		{"to", audit.Filter{To: mid}},
		{"from and to", audit.Filter{From: d.Days[1], To: d.Days[2]}},
		{"user_id", audit.Filter{UserID: d.U1}},
		{"user_email", audit.Filter{UserEmail: "u2@a.example"}},
		{"event_type", audit.Filter{EventType: audit.EventAuthz}},
		{"result", audit.Filter{Result: audit.ResultDenied}},
		{"action", audit.Filter{Action: "delete_role"}},
		{"resource", audit.Filter{Resource: "session"}},
		{"tenant_id", audit.Filter{TenantID: d.TenantB}},
		{"organization_id", audit.Filter{OrganizationID: d.OrgA}},
		{"workspace_id", audit.Filter{WorkspaceID: "workspace-1"}},
		{"session_id", audit.Filter{SessionID: "session-3"}},
		{"target_organization_id", audit.Filter{TargetOrganizationID: d.OrgB}},
		{"combined", audit.Filter{OrganizationID: d.OrgA, EventType: audit.EventData, Result: audit.ResultSuccess, From: d.Days[1]}},
		{"nothing matches", audit.Filter{UserID: "nobody"}},
	}
	for _, sc := range []struct {
		name  string
		scope audit.Scope
	}{{"super administrator", all}, {"organization A", audit.Scope{OrganizationID: d.OrgA}}, {"organization B", audit.Scope{OrganizationID: d.OrgB}}} {
		for _, c := range filters {
			t.Run("filter "+c.name+" as "+sc.name, func(t *testing.T) {
				var want []audit.Event
				for _, e := range d.Events {
					if matches(e, sc.scope, c.f) {
						want = append(want, e)
					}
				}
				got := ListAll(t, s, sc.scope, c.f, 13)
				checkNewestFirst(t, got)
				if !maps.Equal(idSet(got), idSet(want)) {
					t.Fatalf("got %d events, want %d", len(got), len(want))
				}
			})
		}
	}

	t.Run("from is inclusive and to exclusive", func(t *testing.T) {
		at := d.Events[42].Timestamp
		n := 0
		for _, e := range d.Events {
			if e.Timestamp.Equal(at) {
				n++
			}
		}
		if got := ListAll(t, s, all, audit.Filter{From: at, To: at.Add(time.Millisecond)}, 100); len(got) != n {
			t.Fatalf("[t, t+1ms) has %d events, want %d", len(got), n)
		}
		if got := ListAll(t, s, all, audit.Filter{From: at, To: at}, 100); len(got) != 0 {
			t.Fatalf("[t, t) has %d events", len(got))
		}
	})

	t.Run("scope", func(t *testing.T) {
		if got := ListAll(t, s, audit.Scope{}, audit.Filter{}, 100); len(got) != 0 {
			t.Fatalf("empty organization scope sees %d events", len(got))
		}
		// A sees B's members' events only where they targeted A, and never an event that
		// neither came from nor targeted A.
		for _, f := range []audit.Filter{{OrganizationID: d.OrgB}, {UserID: d.U3}} {
			got := ListAll(t, s, audit.Scope{OrganizationID: d.OrgA}, f, 100)
			if len(got) == 0 {
				t.Fatalf("filter %+v: organization A sees none of B's changes made to A", f)
			}
			for _, e := range got {
				if e.OrganizationID != d.OrgA && e.TargetOrganizationID != d.OrgA {
					t.Fatalf("organization A sees an event of %q targeting %q", e.OrganizationID, e.TargetOrganizationID)
				}
			}
		}
		if got := ListAll(t, s, audit.Scope{OrganizationID: uuid.NewString()}, audit.Filter{}, 100); len(got) != 0 {
			t.Fatalf("an unrelated organization sees %d events", len(got))
		}
	})

	t.Run("get", func(t *testing.T) {
		for _, e := range d.Events[:30] {
			got, err := s.Get(ctx, all, e.ID)
			if err != nil || got.ID != e.ID || !got.Timestamp.Equal(e.Timestamp) {
				t.Fatalf("get %s: %v", e.ID, err)
			}
			_, err = s.Get(ctx, audit.Scope{OrganizationID: d.OrgA}, e.ID)
			if inA := Visible(e, audit.Scope{OrganizationID: d.OrgA}); inA != (err == nil) || (!inA && !errors.Is(err, audit.ErrNotFound)) {
				t.Fatalf("get %s (org %q) scoped to A: %v", e.ID, e.OrganizationID, err)
			}
		}
		if _, err := s.Get(ctx, all, uuid.New()); !errors.Is(err, audit.ErrNotFound) {
			t.Fatalf("unknown id: %v", err)
		}
		if _, err := s.Get(ctx, audit.Scope{}, d.Events[1].ID); !errors.Is(err, audit.ErrNotFound) {
			t.Fatalf("empty scope: %v", err)
		}
	})

	statsCases := []audit.StatsQuery{
		{Scope: all},
		{Scope: audit.Scope{OrganizationID: d.OrgA}},
		{Scope: audit.Scope{OrganizationID: d.OrgB}, EventType: audit.EventAuth},
		{Scope: audit.Scope{OrganizationID: d.OrgB}},
		{Scope: all, Result: audit.ResultFailure},
		// Days overlapping [from, to): from mid day 1, to exactly midnight of day 2 → day 1 only.
		{Scope: all, From: d.Days[1].Add(5 * time.Hour), To: d.Days[2]},
		{Scope: all, From: d.Days[2]},
		{Scope: audit.Scope{}},
	}
	t.Run("stats", func(t *testing.T) {
		checkCases(t, statsCases, s.Stats, func(q audit.StatsQuery) []audit.StatsRow { return expectStats(d, q) })
	})

	activityCases := []audit.ActivityQuery{
		{Scope: all, UserID: d.U1},
		{Scope: audit.Scope{OrganizationID: d.OrgA}, UserID: d.U2, From: d.Days[1]},
		{Scope: audit.Scope{OrganizationID: d.OrgA}, UserID: d.U3},
		{Scope: audit.Scope{OrganizationID: d.OrgB}, UserID: d.U1},
		{Scope: all, UserID: d.U3, To: d.Days[1]},
		{Scope: all, UserID: "nobody"},
	}
	t.Run("user activity", func(t *testing.T) {
		checkCases(t, activityCases, s.UserActivity, func(q audit.ActivityQuery) []audit.ActivityRow { return expectActivity(d, q) })
	})

	t.Run("injection attempts are data, never SQL", func(t *testing.T) {
		for _, v := range Injections {
			for _, f := range []audit.Filter{
				{UserID: v}, {UserEmail: v}, {Action: v}, {Resource: v}, {TenantID: v},
				{OrganizationID: v}, {WorkspaceID: v}, {SessionID: v}, {TargetOrganizationID: v},
			} {
				p, err := s.List(ctx, audit.ListQuery{Scope: all, Filter: f, Limit: 10})
				if err != nil || len(p.Events) != 0 {
					t.Fatalf("filter %+v: %d events, %v", f, len(p.Events), err)
				}
			}
			if p, err := s.List(ctx, audit.ListQuery{Scope: audit.Scope{OrganizationID: v}, Limit: 10}); err != nil || len(p.Events) != 0 {
				t.Fatalf("scope %q: %d events, %v", v, len(p.Events), err)
			}
			if rows, err := s.UserActivity(ctx, audit.ActivityQuery{Scope: all, UserID: v}); err != nil || len(rows) != 0 {
				t.Fatalf("activity %q: %v, %v", v, rows, err)
			}
			if rows, err := s.Stats(ctx, audit.StatsQuery{Scope: audit.Scope{OrganizationID: v}}); err != nil || len(rows) != 0 {
				t.Fatalf("stats %q: %v, %v", v, rows, err)
			}
		}
		if got := ListAll(t, s, all, audit.Filter{}, audit.MaxListLimit); len(got) != len(d.Events) {
			t.Fatalf("%d events left after injection attempts", len(got))
		}
	})

	t.Run("a replayed batch counts once everywhere", func(t *testing.T) {
		before, err := s.Stats(ctx, audit.StatsQuery{Scope: all})
		if err != nil {
			t.Fatal(err)
		}
		for _, start := range []int{0, 100, 250} {
			if err := s.Write(ctx, d.Events[start:start+50]); err != nil {
				t.Fatal(err)
			}
		}
		after, err := s.Stats(ctx, audit.StatsQuery{Scope: all})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(before, after) {
			t.Fatalf("stats changed after replays:\nbefore %v\nafter  %v", before, after)
		}
		// The counts by target organization are deduplicated too.
		scopedB := audit.StatsQuery{Scope: audit.Scope{OrganizationID: d.OrgB}}
		if got, err := s.Stats(ctx, scopedB); err != nil || !slices.Equal(got, expectStats(d, scopedB)) {
			t.Fatalf("organization B's stats after replays: %v %v", got, err)
		}
		act, err := s.UserActivity(ctx, activityCases[0])
		if err != nil || !slices.Equal(act, expectActivity(d, activityCases[0])) {
			t.Fatalf("activity changed after replays: %v %v", act, err)
		}
		if got := ListAll(t, s, all, audit.Filter{}, 50); len(got) != len(d.Events) {
			t.Fatalf("%d events listed after replays, want %d", len(got), len(d.Events))
		}
	})
}

// Injections are filter values that would change a string-built query.
var Injections = []string{
	`' OR '1'='1`,
	`x' OR 1=1 --`,
	`'); DROP TABLE audit_logs; --`,
	`\' OR 1=1 --`,
	`\\' OR 1=1 --`,
	`{scope_org:String}`,
	"' UNION ALL SELECT * FROM system.tables --",
	"line\nbreak' OR 1=1",
	"tab\there",
	"nul\x00byte",
	`%`, `_`, `*`,
	`"double" quotes`,
	"🦫'🦫",
	"\\",
}

// checkCases runs every query through read and compares the rows with what expect computes
// from the dataset: the summaries (stats, user activity) are checked the same way.
func checkCases[Q any, R comparable](t *testing.T, cases []Q, read func(context.Context, Q) ([]R, error), expect func(Q) []R) {
	t.Helper()
	for i, q := range cases {
		got, err := read(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if want := expect(q); !slices.Equal(got, want) {
			t.Fatalf("case %d:\n got %v\nwant %v", i, got, want)
		}
	}
}

// eachDay calls fn with every event of the dataset on the UTC days from and to cover
// (audit.DayRange), and its day: the window both summaries count in.
func (d *Dataset) eachDay(from, to time.Time, fn func(day time.Time, e audit.Event)) {
	first, last, ok := audit.DayRange(from, to)
	if !ok {
		return
	}
	for _, e := range d.Events {
		day := e.Timestamp.UTC().Truncate(24 * time.Hour)
		if (!first.IsZero() && day.Before(first)) || (!last.IsZero() && day.After(last)) {
			continue
		}
		fn(day, e)
	}
}

func expectStats(d *Dataset, q audit.StatsQuery) []audit.StatsRow {
	type key struct {
		day time.Time
		t   audit.EventType
		r   audit.Result
	}
	counts := map[key]uint64{}
	d.eachDay(q.From, q.To, func(day time.Time, e audit.Event) {
		if matches(e, q.Scope, audit.Filter{EventType: q.EventType, Result: q.Result}) {
			counts[key{day, e.EventType, e.Result}]++
		}
	})
	var out []audit.StatsRow
	for k, n := range counts {
		out = append(out, audit.StatsRow{Date: k.day, EventType: k.t, Result: k.r, Count: n})
	}
	audit.SortStats(out)
	return out
}

func expectActivity(d *Dataset, q audit.ActivityQuery) []audit.ActivityRow {
	type key struct {
		day time.Time
		t   audit.EventType
	}
	counts := map[key]uint64{}
	d.eachDay(q.From, q.To, func(day time.Time, e audit.Event) {
		if e.UserID == q.UserID && matches(e, q.Scope, audit.Filter{}) {
			counts[key{day, e.EventType}]++
		}
	})
	var out []audit.ActivityRow
	for k, n := range counts {
		out = append(out, audit.ActivityRow{Date: k.day, EventType: k.t, Count: n})
	}
	audit.SortActivity(out)
	return out
}
