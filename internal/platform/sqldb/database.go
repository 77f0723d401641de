// Package sqldb opens the relational store (embedded SQLite or PostgreSQL) behind one type.
package sqldb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	"github.com/XSAM/otelsql"
	_ "github.com/jackc/pgx/v5/stdlib" // registers driver "pgx"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
	_ "modernc.org/sqlite" // registers driver "sqlite" (pure Go)

	"github.com/telemetryflow/core/internal/platform/telemetry"
)

// Config selects and tunes the store.
type Config struct {
	// URL is empty (SQLite file in DataDir), "sqlite:<path>", or "postgres://..." / "postgresql://...".
	URL string
	// DataDir holds the SQLite file when URL is empty.
	DataDir string
	// MaxOpenConns bounds the pool; zero picks a default per dialect.
	MaxOpenConns int
	// TracerProvider and MeterProvider receive the SQL spans and metrics; nil means the
	// process-wide providers, and no instrumentation at all unless the installed telemetry
	// exports (telemetry.Exporting).
	TracerProvider trace.TracerProvider
	MeterProvider  metric.MeterProvider
}

// DB is an open store: the pool and its dialect. The store layer builds its ent client over it
// (store.Open); migrations, health checks and hand-written SQL use the pool directly.
type DB struct {
	SQL     *sql.DB
	Dialect string // dialect.SQLite or dialect.Postgres
	// Location is a human-readable, password-free description of where the data lives.
	Location string
}

// sqliteFile is the database file name inside the data directory.
const sqliteFile = "telemetryflow.db"

// Open connects and verifies the connection with a ping.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	d, err := OpenLazy(cfg)
	if err != nil {
		return nil, err
	}
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := d.SQL.PingContext(pingCtx); err != nil {
		_ = d.Close()
		return nil, fmt.Errorf("connect to %s at %s: %w", d.Dialect, d.Location, err)
	}
	return d, nil
}

// OpenLazy is Open without the ping: the pool connects on first use. For servers the process
// must start without (read replicas, which join when they answer).
func OpenLazy(cfg Config) (*DB, error) {
	driver, dsn, dia, loc, err := resolve(cfg)
	if err != nil {
		return nil, err
	}
	if dia == dialect.SQLite {
		if err := os.MkdirAll(filepath.Dir(loc), 0o700); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
	}
	var db *sql.DB
	if cfg.TracerProvider != nil || cfg.MeterProvider != nil || telemetry.Exporting() {
		db, err = otelsql.Open(driver, dsn, instrumentation(cfg, dia)...)
	} else {
		// Nothing would receive the spans or metrics, and otelsql allocates per call
		// (≈ 7 a query) even for a no-op meter and an unsampled span.
		db, err = sql.Open(driver, dsn)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", dia, err)
	}
	tune(db, dia, cfg.MaxOpenConns)
	return &DB{
		SQL:      db,
		Dialect:  dia,
		Location: loc,
	}, nil
}

// Close releases the pool.
func (d *DB) Close() error { return d.SQL.Close() }

// Embedded reports whether this is the zero-configuration SQLite store.
func (d *DB) Embedded() bool { return d.Dialect == dialect.SQLite }

// instrumentation configures the SQL spans: statement text (queries are parameterised, so it
// holds no values) but no per-row spans, and none without a sampled parent span, so that pool
// upkeep and start-up migrations do not flood the trace store with orphan root spans.
func instrumentation(cfg Config, dia string) []otelsql.Option {
	system := "postgresql"
	if dia == dialect.SQLite {
		system = "sqlite"
	}
	opts := []otelsql.Option{
		otelsql.WithAttributes(attribute.String("db.system.name", system)),
		otelsql.WithSpanOptions(otelsql.SpanOptions{
			OmitRows:             true,
			OmitConnResetSession: true,
			DisableErrSkip:       true,
			// Only under a sampled parent: without an exporter every span is unsampled, and
			// a statement's span under an unsampled request would be built and dropped on
			// every call (≈ 10 allocations per statement) for nothing.
			SpanFilter: func(ctx context.Context, _ otelsql.Method, _ string, _ []driver.NamedValue) bool {
				sc := trace.SpanContextFromContext(ctx)
				return sc.IsValid() && sc.IsSampled()
			},
		}),
	}
	if cfg.TracerProvider != nil {
		opts = append(opts, otelsql.WithTracerProvider(cfg.TracerProvider))
	}
	if cfg.MeterProvider != nil {
		opts = append(opts, otelsql.WithMeterProvider(cfg.MeterProvider))
	}
	return opts
}

func resolve(cfg Config) (driver, dsn, dia, location string, err error) {
	raw := strings.TrimSpace(cfg.URL)
	switch {
	case raw == "":
		dir := cfg.DataDir
		if dir == "" {
			dir = "data"
		}
		path := filepath.Join(dir, sqliteFile)
		return sqliteCachedDriver, SQLiteDSN(path), dialect.SQLite, path, nil
	case strings.HasPrefix(raw, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(raw, "sqlite:"), "//")
		if path == "" {
			return "", "", "", "", errors.New("sqlite URL names no file")
		}
		return sqliteCachedDriver, SQLiteDSN(path), dialect.SQLite, path, nil
	case strings.HasPrefix(raw, "postgres://"), strings.HasPrefix(raw, "postgresql://"):
		u, perr := url.Parse(raw)
		if perr != nil {
			return "", "", "", "", errors.New("PostgreSQL URL is not a valid URL")
		}
		return "pgx", raw, dialect.Postgres, Redact(u), nil
	default:
		return "", "", "", "", errors.New("database URL must be empty (embedded SQLite), sqlite:<file> or postgres://...")
	}
}

// SQLiteDSN builds the modernc DSN with the settings the project relies on: foreign keys on,
// WAL for concurrent readers, a busy timeout instead of immediate SQLITE_BUSY, synchronous=FULL
// so a committed write survives power loss, and times in SQLite's own format so they sort.
func SQLiteDSN(path string) string {
	q := url.Values{}
	for _, p := range []string{"foreign_keys(1)", "journal_mode(WAL)", "busy_timeout(10000)", "synchronous(FULL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_time_format", "sqlite")
	// BEGIN IMMEDIATE takes the write lock up front, so two writers queue on the busy
	// timeout instead of one failing when it upgrades a read transaction.
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// Redact returns the URL without its password, for logs and error messages.
func Redact(u *url.URL) string {
	c := *u
	if c.User != nil {
		c.User = url.User(c.User.Username())
	}
	c.RawQuery = ""
	return c.String()
}

func tune(db *sql.DB, dia string, maxOpen int) {
	if maxOpen <= 0 {
		maxOpen = 20
		if dia == dialect.SQLite {
			maxOpen = 8
		}
	}
	db.SetMaxOpenConns(maxOpen)
	db.SetMaxIdleConns(maxOpen)
	db.SetConnMaxIdleTime(5 * time.Minute)
}
