package auditch

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ClickHouse/ch-go"
	"github.com/ClickHouse/ch-go/proto"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/platform/chdb"
)

// Why batches are repaired. A non-replicated MergeTree records a block's deduplication id in
// its deduplication log *before* it renames the block's temporary part into place. A server
// killed between the two keeps the id and loses the part; the retry of that batch, with the
// same token, is then dropped as a repeat. That loses the batch in audit_logs (acknowledged
// rows gone) or in a view's table (a daily summary short by the batch), and no setting avoids
// it: ClickHouse makes neither an insert and its views atomic nor the log and the part.
//
// So a batch whose insert failed in a way that may have reached the server is checked once its
// retry succeeds: its missing rows are inserted again under a fresh token, and the daily
// summaries of its days and keys are made equal to the log (counted without copies).

// settle is the pause between the two readings of a summary's difference from the log: an
// insert of another batch in progress (its log part committed, its views' parts not yet) shows
// in one reading only, so only a difference seen twice is corrected.
const settle = time.Second

// maxRounds bounds the readings when other inserts keep a key moving; what still moves then is
// left as it is (and logged): the writer must not stall behind a busy key.
const maxRounds = 10

// notSent reports whether err proves the batch never reached the server (no connection could
// be made), so that there is nothing to check after a retry.
func notSent(err error) bool { return chdb.Unreachable(err) }

// summary describes one daily summary table as its materialized view fills it from audit_logs
// (migrations/clickhouse): its key columns after date, the filter of the view, and the key
// column whose values a batch touches (the scope of a repair).
type summary struct {
	table  string
	keys   []string
	filter string
	scope  string
}

var summaries = []summary{
	{"audit_logs_stats", []string{"organization_id", "event_type", "result"}, "1", "organization_id"},
	{"audit_logs_user_activity", []string{"user_id", "organization_id", "event_type"}, "user_id != ''", "user_id"},
	{"audit_logs_stats_by_target", []string{"target_organization_id", "event_type", "result"},
		"target_organization_id != '' AND target_organization_id != organization_id", "target_organization_id"},
	{"audit_logs_user_activity_by_target", []string{"user_id", "target_organization_id", "event_type"},
		"user_id != '' AND target_organization_id != '' AND target_organization_id != organization_id", "user_id"},
}

// repair makes a stored batch complete after an interrupted insert: rows, then summaries.
func (s *Sink) repair(ctx context.Context, events []audit.Event) error {
	missing, err := s.missing(ctx, events)
	if err != nil {
		return err
	}
	if len(missing) > 0 {
		// A fresh token: the batch's own token is the one the lost part left behind.
		var salt [8]byte
		_, _ = rand.Read(salt[:])
		if err := s.insert(ctx, missing, Token(missing)+"-repair-"+hex.EncodeToString(salt[:])); err != nil {
			return fmt.Errorf("insert %d lost rows: %w", len(missing), err)
		}
		s.log.Warn("audit batch: the server had lost rows of an interrupted insert; inserted them again", "rows", len(missing), "batch", len(events))
	}
	for _, sm := range summaries {
		if err := s.reconcile(ctx, sm, events); err != nil {
			return fmt.Errorf("%s: %w", sm.table, err)
		}
	}
	return nil
}

// missing returns the events of the batch that audit_logs does not hold.
func (s *Sink) missing(ctx context.Context, events []audit.Event) ([]audit.Event, error) {
	var ids, found proto.ColUUID
	for i := range events {
		ids.Append(events[i].ID)
	}
	have := make(map[[16]byte]bool, len(events))
	err := s.db.Do(ctx, ch.Query{
		Body:          "SELECT DISTINCT id FROM audit_logs WHERE id IN (SELECT id FROM batch)",
		ExternalTable: "batch", ExternalData: []proto.InputColumn{{Name: "id", Data: &ids}},
		Result: proto.Results{{Name: "id", Data: &found}},
		OnResult: func(context.Context, proto.Block) error {
			for i := range found.Rows() {
				have[found.Row(i)] = true
			}
			return nil
		},
	})
	if err != nil {
		return nil, fmt.Errorf("find lost rows: %w", err)
	}
	var out []audit.Event
	for _, e := range events {
		if !have[e.ID] {
			out = append(out, e)
		}
	}
	return out, nil
}

// reconcile corrects sm for the days and keys of the batch: the difference between the log
// (FINAL: each event once) and the summary is read twice, settle apart, and where both
// readings agree it is inserted as a correction row. SummingMergeTree adds it to the key's
// count; a negative correction is stored as its two's complement, which UInt64 sums wrap
// to the right total.
func (s *Sink) reconcile(ctx context.Context, sm summary, events []audit.Event) error {
	days, scope := batchScope(sm, events)
	if len(scope) == 0 {
		return nil
	}
	// A parameter travels as a quoted literal of its value's text, arrays too.
	params := []proto.Parameter{{Key: "days", Value: quote(quoteList(days))}, {Key: "scope", Value: quote(quoteList(scope))}}
	deltas := sm.deltaQuery()
	prev, err := s.readDeltas(ctx, deltas, params)
	if err != nil {
		return err
	}
	for range maxRounds {
		if len(prev) == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(settle):
		}
		cur, err := s.readDeltas(ctx, deltas, params)
		if err != nil {
			return err
		}
		var stable []string
		persists := false
		for k, d := range cur {
			if prev[k] == d {
				stable = append(stable, "("+quote(k)+","+strconv.FormatInt(d, 10)+")")
			}
			if _, ok := prev[k]; ok {
				persists = true
			}
		}
		if !persists { // every difference seen was an insert in progress
			return nil
		}
		if len(stable) > 0 {
			cols := "date, " + strings.Join(sm.keys, ", ")
			err := s.db.Do(ctx, ch.Query{
				// The difference is computed again in the insert and applied only where it still
				// equals the reading: a correction never rests on a stale number.
				Body: "INSERT INTO " + sm.table + " (" + cols + ", count) SELECT " + cols + ", toUInt64(delta) FROM (" + deltas +
					") WHERE (k, delta) IN {stable:Array(Tuple(String, Int64))}",
				Parameters: append(slices.Clone(params), proto.Parameter{Key: "stable", Value: quote("[" + strings.Join(stable, ",") + "]")}),
				// A correction is a new fact, never a repeat: no deduplication id to leave behind.
				Settings: []ch.Setting{{Key: "insert_deduplicate", Value: "0"}, {Key: "distributed_foreground_insert", Value: "1"}},
			})
			if err != nil {
				return fmt.Errorf("correct: %w", err)
			}
			s.log.Warn("audit batch: a daily summary differed from the log after an interrupted insert; corrected", "table", sm.table, "keys", len(stable))
			if cur, err = s.readDeltas(ctx, deltas, params); err != nil {
				return err
			}
		}
		prev = cur
	}
	s.log.Warn("audit batch: daily summary keys kept changing while checked; left as they are", "table", sm.table, "keys", len(prev), "readings", maxRounds)
	return nil
}

// deltaQuery selects, per key of the batch's days and scope, k (the key as text) and delta
// (events in the log minus the summary's count), where they differ.
func (sm summary) deltaQuery() string {
	keys := strings.Join(sm.keys, ", ")
	text := []string{"toString(date)"}
	for _, k := range sm.keys {
		text = append(text, "toString("+k+")")
	}
	return "SELECT date, " + keys + ", concat(" + strings.Join(text, ", '|', ") + ") AS k, toInt64(l) - toInt64(c) AS delta FROM " +
		"(SELECT toDate(timestamp, 'UTC') AS date, " + keys + ", count() AS l FROM audit_logs FINAL" +
		" WHERE toDate(timestamp, 'UTC') IN {days:Array(Date)} AND " + sm.scope + " IN {scope:Array(String)} AND (" + sm.filter + ")" +
		" GROUP BY date, " + keys + ") AS lg" +
		" FULL OUTER JOIN " +
		"(SELECT date, " + keys + ", sum(count) AS c FROM " + sm.table +
		" WHERE date IN {days:Array(Date)} AND " + sm.scope + " IN {scope:Array(String)}" +
		" GROUP BY date, " + keys + ") AS sm" +
		" USING (date, " + keys + ") WHERE delta != 0 SETTINGS join_use_nulls = 0"
}

func (s *Sink) readDeltas(ctx context.Context, query string, params []proto.Parameter) (map[string]int64, error) {
	out, err := chdb.Pairs(ctx, s.db, ch.Query{Body: "SELECT k, delta FROM (" + query + ")", Parameters: params},
		"k", new(proto.ColStr), "delta", new(proto.ColInt64))
	if err != nil {
		return nil, fmt.Errorf("compare with the log: %w", err)
	}
	return out, nil
}

// batchScope returns the UTC days of the batch and the values of sm's scope column in it.
func batchScope(sm summary, events []audit.Event) (days, scope []string) {
	seenDay, seenScope := map[string]bool{}, map[string]bool{}
	for i := range events {
		e := &events[i]
		v := scopeValue(sm.scope, e)
		if v == "" && sm.scope != "organization_id" { // the other views skip rows without it
			continue
		}
		if d := e.Timestamp.UTC().Format(time.DateOnly); !seenDay[d] {
			seenDay[d] = true
			days = append(days, d)
		}
		if !seenScope[v] {
			seenScope[v] = true
			scope = append(scope, v)
		}
	}
	return days, scope
}

func scopeValue(column string, e *audit.Event) string {
	switch column {
	case "organization_id":
		return e.OrganizationID
	case "user_id":
		return e.UserID
	default:
		return e.TargetOrganizationID
	}
}

// quote makes a ClickHouse string literal.
func quote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

func quoteList(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = quote(v)
	}
	return "[" + strings.Join(q, ",") + "]"
}
