package auditsql_test

import (
	"context"
	"database/sql/driver"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/store/auditsql"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
)

// TestOrganizationPageWalksAnIndex keeps an organization's audit page bounded by the page,
// not by the log: every query List sends must be answered by walking an index newest first,
// never by sorting all matching rows (an OR over the two organization columns did that, and
// under the load harness it took half the server's CPU as the log grew). SQLite's plan is
// deterministic from the schema, so this reads it with EXPLAIN QUERY PLAN.
func TestOrganizationPageWalksAnIndex(t *testing.T) {
	t.Parallel()
	db := dbtest.Open(t, dialect.SQLite)
	var mu sync.Mutex
	var sent []string
	logged := dialect.Debug(entsql.OpenDB(db.Dialect, db.SQL), func(v ...any) {
		mu.Lock()
		defer mu.Unlock()
		sent = append(sent, fmt.Sprint(v...))
	})
	sink := auditsql.New(ent.NewClient(ent.Driver(logged)), db.SQL)
	org := "0b9c1b2e-4f5a-4c1e-9d3a-2f6e8a7b5c41"
	queries := []audit.ListQuery{
		{Scope: audit.Scope{OrganizationID: org}, Limit: 20},
		{Scope: audit.Scope{OrganizationID: org}, Limit: 20, Filter: audit.Filter{UserID: "u"}},
		{Scope: audit.Scope{All: true}, Limit: 20},
	}
	for _, q := range queries {
		if _, err := sink.List(context.Background(), q); err != nil {
			t.Fatal(err)
		}
	}
	// ent's debug driver logs "driver.Query: query=<sql> args=[...]".
	re := regexp.MustCompile(`query=(SELECT .*) args=\[(.*)\]$`)
	checked := 0
	for _, line := range sent {
		m := re.FindStringSubmatch(line)
		if m == nil || !strings.Contains(m[1], "audit_logs") {
			continue
		}
		args := placeholders(m[1])
		rows, err := db.SQL.Query("EXPLAIN QUERY PLAN "+m[1], args...)
		if err != nil {
			t.Fatalf("%s: %v", m[1], err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		_ = rows.Close()
		for _, step := range plan {
			if step == "USE TEMP B-TREE FOR ORDER BY" || strings.HasPrefix(step, "SCAN audit_logs") && !strings.Contains(step, "USING INDEX") || strings.Contains(step, "MULTI-INDEX OR") {
				t.Errorf("query %s\nplan %q: sorts or scans every matching row", m[1], plan)
			}
		}
		checked++
	}
	if checked < len(queries) {
		t.Fatalf("checked %d audit queries, want at least %d (log lines: %q)", checked, len(queries), sent)
	}
}

// placeholders gives a query's ? parameters values of the right kind for planning: the plan
// depends on the query's shape, not on the values.
func placeholders(q string) []any {
	n := strings.Count(q, "?")
	args := make([]any, n)
	for i := range args {
		args[i] = driver.Value("x")
	}
	return args
}
