// Package chmigrate applies the ClickHouse audit store's versioned migrations
// (migrations/clickhouse) and records each applied version, with its checksum, in the table
// schema_migrations of the same database.
//
// Files are applied in name order; a file is a list of statements, each ending with ";" at
// the end of a line. Statements are idempotent (IF NOT EXISTS), so two instances starting at
// once do no harm. The retention (TF_AUDIT_RETENTION_DAYS) is a parameter: files say
// $RETENTION_DAYS and the runner substitutes the validated number; checksums are taken before
// substitution, and a changed retention is applied to existing tables with MODIFY TTL.
package chmigrate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ClickHouse/ch-go"
	"github.com/ClickHouse/ch-go/proto"

	"github.com/telemetryflow/core/internal/platform/chdb"
	"github.com/telemetryflow/core/migrations"
)

// Config tunes a runner.
type Config struct {
	// RetentionDays is how long audit rows (and their daily summaries) are kept (1–3650).
	RetentionDays int
	// Cluster, when set, selects the cluster schema (migrations/clickhouse-cluster: *_local
	// tables and Distributed tables over them) for a node of that cluster; see UpCluster.
	Cluster string
	// Files holds the *.sql files at its root; nil means the embedded migrations/clickhouse (or
	// migrations/clickhouse-cluster with Cluster).
	Files fs.FS
	Log   *slog.Logger
}

// Runner applies migrations to one database.
type Runner struct {
	db    chdb.Doer
	cfg   Config
	files []file
}

type file struct {
	name, version, body, checksum string
}

// Status is where the database stands.
type Status struct {
	Current string   // last applied version, empty if none
	Applied int      // applied versions
	Pending []string // versions not applied yet, in order
}

const (
	retentionToken = "$RETENTION_DAYS"
	clusterToken   = "$CLUSTER"
)

// New reads and checks the migration files.
func New(db chdb.Doer, cfg Config) (*Runner, error) {
	if cfg.RetentionDays < 1 || cfg.RetentionDays > 3650 {
		return nil, fmt.Errorf("clickhouse migrations: retention %d days is outside 1–3650", cfg.RetentionDays)
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Cluster != "" && strings.Trim(cfg.Cluster, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != "" {
		return nil, fmt.Errorf("clickhouse migrations: cluster name %q must be letters, digits and underscores", cfg.Cluster)
	}
	if cfg.Files == nil {
		dir := "clickhouse"
		if cfg.Cluster != "" {
			dir = "clickhouse-cluster"
		}
		sub, err := fs.Sub(migrations.ClickHouse, dir)
		if err != nil {
			return nil, err
		}
		cfg.Files = sub
	}
	names, err := fs.Glob(cfg.Files, "*.sql")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	r := &Runner{db: db, cfg: cfg}
	for _, name := range names {
		b, err := fs.ReadFile(cfg.Files, name)
		if err != nil {
			return nil, err
		}
		version, _, ok := strings.Cut(path.Base(name), "_")
		if !ok || version == "" {
			return nil, fmt.Errorf("clickhouse migration %s: name must be <version>_<description>.sql", name)
		}
		sum := sha256.Sum256(b)
		r.files = append(r.files, file{name: name, version: version, body: string(b), checksum: hex.EncodeToString(sum[:])})
	}
	return r, nil
}

const createHistory = `CREATE TABLE IF NOT EXISTS schema_migrations
(
    version String,
    checksum String,
    applied_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(applied_at)
ORDER BY version`

// Up applies every pending file, then makes the tables' TTL match RetentionDays. It returns
// the versions it applied.
func (r *Runner) Up(ctx context.Context) ([]string, error) {
	if err := r.db.Do(ctx, ch.Query{Body: createHistory}); err != nil {
		return nil, fmt.Errorf("clickhouse migrations: %w", err)
	}
	done, err := r.applied(ctx)
	if err != nil {
		return nil, err
	}
	var applied []string
	for _, f := range r.files {
		if sum, ok := done[f.version]; ok {
			if sum != f.checksum {
				return applied, fmt.Errorf("clickhouse migration %s was changed after it was applied; add a new migration instead", f.name)
			}
			continue
		}
		body := strings.NewReplacer(retentionToken, strconv.Itoa(r.cfg.RetentionDays), clusterToken, r.cfg.Cluster).Replace(f.body)
		for i, stmt := range Statements(body) {
			if err := r.db.Do(ctx, ch.Query{Body: stmt}); err != nil {
				return applied, fmt.Errorf("clickhouse migration %s, statement %d: %w", f.name, i+1, err)
			}
		}
		if err := r.record(ctx, f); err != nil {
			return applied, err
		}
		r.cfg.Log.Info("clickhouse migration applied", "version", f.version, "file", f.name)
		applied = append(applied, f.version)
	}
	return applied, r.reconcileRetention(ctx)
}

// Status reports applied and pending versions without changing anything (beyond creating the
// history table).
func (r *Runner) Status(ctx context.Context) (Status, error) {
	if err := r.db.Do(ctx, ch.Query{Body: createHistory}); err != nil {
		return Status{}, fmt.Errorf("clickhouse migrations: %w", err)
	}
	done, err := r.applied(ctx)
	if err != nil {
		return Status{}, err
	}
	var st Status
	for _, f := range r.files {
		if _, ok := done[f.version]; ok {
			st.Applied++
			st.Current = f.version
		} else {
			st.Pending = append(st.Pending, f.version)
		}
	}
	return st, nil
}

func (r *Runner) applied(ctx context.Context) (map[string]string, error) {
	out, err := chdb.Pairs(ctx, r.db, ch.Query{Body: "SELECT version, checksum FROM schema_migrations FINAL"},
		"version", new(proto.ColStr), "checksum", new(proto.ColStr))
	if err != nil {
		return nil, fmt.Errorf("clickhouse migrations: read history: %w", err)
	}
	return out, nil
}

func (r *Runner) record(ctx context.Context, f file) error {
	var version, sum proto.ColStr
	at := new(proto.ColDateTime64).WithPrecision(proto.PrecisionMilli)
	version.Append(f.version)
	sum.Append(f.checksum)
	at.Append(time.Now())
	input := proto.Input{{Name: "version", Data: &version}, {Name: "checksum", Data: &sum}, {Name: "applied_at", Data: at}}
	if err := r.db.Do(ctx, ch.Query{Body: input.Into("schema_migrations"), Input: input}); err != nil {
		return fmt.Errorf("clickhouse migration %s: record: %w", f.name, err)
	}
	return nil
}

// ttls are the tables with a retention TTL and their TTL expression.
var ttls = []struct{ table, expr string }{
	{"audit_logs", "toDateTime(timestamp) + toIntervalDay(%d)"},
	{"audit_logs_stats", "date + toIntervalDay(%d)"},
	{"audit_logs_user_activity", "date + toIntervalDay(%d)"},
	{"audit_logs_stats_by_target", "date + toIntervalDay(%d)"},
	{"audit_logs_user_activity_by_target", "date + toIntervalDay(%d)"},
}

// reconcileRetention applies a changed TF_AUDIT_RETENTION_DAYS to tables created with another
// value. ClickHouse then rewrites existing parts in the background (a mutation).
func (r *Runner) reconcileRetention(ctx context.Context) error {
	current, err := chdb.Pairs(ctx, r.db, ch.Query{Body: "SELECT name, engine_full FROM system.tables WHERE database = currentDatabase()"},
		"name", new(proto.ColStr), "engine_full", new(proto.ColStr))
	if err != nil {
		return fmt.Errorf("clickhouse migrations: read tables: %w", err)
	}
	for _, t := range ttls {
		if r.cfg.Cluster != "" {
			t.table += "_local" // the Distributed tables hold no data and have no TTL
		}
		full, ok := current[t.table]
		if !ok {
			return fmt.Errorf("clickhouse migrations: table %s is missing", t.table)
		}
		want := fmt.Sprintf(t.expr, r.cfg.RetentionDays)
		if strings.Contains(full, "TTL "+want) {
			continue
		}
		if err := r.db.Do(ctx, ch.Query{Body: "ALTER TABLE " + t.table + " MODIFY TTL " + want}); err != nil {
			return fmt.Errorf("clickhouse migrations: set retention of %s: %w", t.table, err)
		}
		r.cfg.Log.Info("audit retention changed", "table", t.table, "days", r.cfg.RetentionDays)
	}
	return nil
}

// Statements splits a migration file into statements: comment lines are dropped and a
// statement ends with ";" at the end of a line.
func Statements(body string) []string {
	var out []string
	var cur strings.Builder
	for line := range strings.SplitSeq(body, "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "--") {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(trimmed, ";") {
			stmt := strings.TrimSuffix(strings.TrimSpace(cur.String()), ";")
			out = append(out, stmt)
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}
