package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/ClickHouse/ch-go/chpool"
	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/app/authz"
	"github.com/telemetryflow/core/internal/platform/auditwriter"
	"github.com/telemetryflow/core/internal/platform/chdb"
	"github.com/telemetryflow/core/internal/platform/chmigrate"
	"github.com/telemetryflow/core/internal/platform/config"
	"github.com/telemetryflow/core/internal/platform/sqldb"
	"github.com/telemetryflow/core/internal/store/auditch"
	"github.com/telemetryflow/core/internal/store/auditsql"
)

// auditStore is what the pipeline writes to and the query API reads from.
type auditStore interface {
	audit.Sink
	audit.Reader
}

// auditPipeline is the audit store (ClickHouse when TF_CLICKHOUSE_ADDR is set, else the SQL
// database) behind the buffered, spooling writer.
type auditPipeline struct {
	store  auditStore
	writer *auditwriter.Writer
	// ch connects to ClickHouse, now or (when it is unreachable at start) in the background;
	// nil with the SQL store.
	ch *chdb.Lazy
	// retention purges the SQL store (ClickHouse expires rows by TTL); nil with ClickHouse.
	retention *auditsql.Retention
	// kind names the store in logs and in readiness errors: "clickhouse" or "sql".
	kind string
}

// buildAudit opens the audit store (applying the ClickHouse migrations), then the writer,
// which replays whatever an earlier run left in the spool before new events. An unreachable
// ClickHouse does not stop the start: events are spooled, and the connection (with the
// migrations) is retried in the background, after which the spool drains in order.
func buildAudit(ctx context.Context, cfg *config.Config, db *sqldb.DB, reg prometheus.Registerer, log *slog.Logger, now func() time.Time) (*auditPipeline, error) {
	sqlStore := sqlsinkFor(db)
	p := &auditPipeline{kind: "sql", store: sqlStore}
	// One SQL insert at a time: SQLite has one writer, and PostgreSQL gains little.
	concurrency := 1
	if cfg.ClickHouse.Addr != "" {
		lazy, err := connectClickHouse(ctx, cfg, log, p)
		if err != nil {
			return nil, err
		}
		p.ch, p.kind, p.store = lazy, "clickhouse", auditch.New(lazy).WithLog(log.With("audit_store", "clickhouse"))
		// ClickHouse writes the parts of one insert on one thread; two inserts in flight keep
		// two cores busy (docs/benchmarks-audit.md).
		concurrency = 2
	}
	dir := cfg.Audit.SpoolDir
	if dir == "" {
		dir = filepath.Join(cfg.Database.DataDir, "audit-spool")
	}
	batch := auditBatchSize(cfg.Audit.BatchSize, p.kind)
	w, err := auditwriter.New(auditwriter.Config{
		Sink: p.store, SpoolDir: dir, QueueSize: cfg.Audit.QueueSize, BatchSize: batch, Concurrency: concurrency,
		FlushInterval: cfg.Audit.FlushInterval, Log: log.With("audit_store", p.kind),
	})
	if err != nil {
		p.closePool()
		return nil, fmt.Errorf("audit spool: %w", err)
	}
	p.writer = w
	if p.ch != nil && p.ch.Err() != nil {
		p.ch.Start() // after p.writer is set: connecting makes the writer retry at once
	}
	if err := w.Register(reg); err != nil {
		_ = p.close(time.Second)
		return nil, fmt.Errorf("metrics: %w", err)
	}
	if p.kind == "sql" {
		if p.retention, err = auditsql.NewRetention(auditsql.RetentionConfig{Sink: sqlStore, Days: cfg.Audit.RetentionDays, Now: now,
			Log: log.With("audit_store", p.kind)}); err != nil {
			_ = p.close(time.Second)
			return nil, err
		}
		if err := p.retention.Register(reg); err != nil {
			_ = p.close(time.Second)
			return nil, fmt.Errorf("metrics: %w", err)
		}
	}
	log.Info("audit pipeline ready", "store", p.kind, "spool", dir, "batch_size", batch)
	return p, nil
}

// auditBatchSize is TF_AUDIT_BATCH_SIZE when set, else the store's own default.
func auditBatchSize(configured int, kind string) int {
	switch {
	case configured > 0:
		return configured
	case kind == "sql":
		return auditsql.DefaultBatchSize
	default:
		return auditwriter.DefaultBatchSize
	}
}

// connectClickHouse makes one attempt to connect and migrate. A server that cannot be reached
// is tried again in the background (the caller starts it); a server that answers but refuses
// the migrations stops the start, as a broken schema is not an outage. p.writer, once set, is
// told to retry at once when the connection succeeds.
func connectClickHouse(ctx context.Context, cfg *config.Config, log *slog.Logger, p *auditPipeline) (*chdb.Lazy, error) {
	lazy, err := chdb.NewLazy(chdb.LazyConfig{
		Config: clickHouseConn(cfg),
		Setup: func(ctx context.Context, pool *chpool.Pool) error {
			_, err := MigrateClickHouse(ctx, pool, cfg, log)
			return err
		},
		OnConnect: func() {
			if p.writer != nil {
				p.writer.RetryNow()
			}
		},
		Log: log.With("audit_store", "clickhouse"),
	})
	if err != nil {
		return nil, err
	}
	err = lazy.Connect(ctx)
	var setup *chdb.SetupError
	switch {
	case err == nil:
	case errors.As(err, &setup):
		lazy.Close()
		return nil, err
	default:
		log.Error("clickhouse is unreachable; serving with audit events spooled until it answers (migrations run then)",
			"addr", cfg.ClickHouse.Addr, "error", err)
	}
	return lazy, nil
}

// openClickHouse connects and applies the ClickHouse migrations.
func openClickHouse(ctx context.Context, cfg *config.Config, log *slog.Logger) (*chpool.Pool, error) {
	pool, err := chdb.Open(ctx, chdb.Config{
		Addr: cfg.ClickHouse.Addr, Database: cfg.ClickHouse.Database, User: cfg.ClickHouse.User, Password: cfg.ClickHouse.Password,
	})
	if err != nil {
		return nil, err
	}
	if _, err := MigrateClickHouse(ctx, pool, cfg, log); err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}

// MigrateClickHouse applies the audit store's ClickHouse migrations (and the retention); with
// TF_CLICKHOUSE_CLUSTER, the cluster schema on every node of the cluster db belongs to.
func MigrateClickHouse(ctx context.Context, db chdb.Doer, cfg *config.Config, log *slog.Logger) ([]string, error) {
	if cfg.ClickHouse.Cluster != "" {
		perNode, err := chmigrate.UpCluster(ctx, db, clickHouseConn(cfg),
			chmigrate.Config{RetentionDays: cfg.Audit.RetentionDays, Cluster: cfg.ClickHouse.Cluster, Log: log})
		var applied []string
		for node, versions := range perNode {
			for _, v := range versions {
				applied = append(applied, node+":"+v)
			}
		}
		if err != nil {
			return applied, fmt.Errorf("clickhouse migrate: %w", err)
		}
		return applied, nil
	}
	r, err := chmigrate.New(db, chmigrate.Config{RetentionDays: cfg.Audit.RetentionDays, Log: log})
	if err != nil {
		return nil, err
	}
	applied, err := r.Up(ctx)
	if err != nil {
		return applied, fmt.Errorf("clickhouse migrate: %w", err)
	}
	return applied, nil
}

func clickHouseConn(cfg *config.Config) chdb.Config {
	return chdb.Config{Addr: cfg.ClickHouse.Addr, Database: cfg.ClickHouse.Database, User: cfg.ClickHouse.User, Password: cfg.ClickHouse.Password}
}

// MigrateClickHouseCluster applies the cluster schema on every node (`telemetryflow migrate up`
// with TF_CLICKHOUSE_CLUSTER).
func MigrateClickHouseCluster(ctx context.Context, cfg *config.Config, log *slog.Logger) ([]string, error) {
	pool, err := chdb.Open(ctx, clickHouseConn(cfg))
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	return MigrateClickHouse(ctx, pool, cfg, log)
}

// ClickHouseMigrations connects to the configured ClickHouse (creating the database) and
// returns its migration runner, for `telemetryflow migrate`; close releases the connections.
// With TF_CLICKHOUSE_CLUSTER the runner is that of the node TF_CLICKHOUSE_ADDR names (status);
// MigrateClickHouseCluster applies the schema on every node.
func ClickHouseMigrations(ctx context.Context, cfg *config.Config, log *slog.Logger) (r *chmigrate.Runner, close func(), err error) {
	pool, err := chdb.Open(ctx, clickHouseConn(cfg))
	if err != nil {
		return nil, nil, err
	}
	r, err = chmigrate.New(pool, chmigrate.Config{RetentionDays: cfg.Audit.RetentionDays, Cluster: cfg.ClickHouse.Cluster, Log: log})
	if err != nil {
		pool.Close()
		return nil, nil, err
	}
	return r, pool.Close, nil
}

// ping is the readiness check (a tolerated one: the spool keeps the events while the store is
// away); its error names the store.
func (p *auditPipeline) ping(ctx context.Context) error {
	if err := p.store.Ping(ctx); err != nil {
		return fmt.Errorf("%s: %w; audit events are spooled", p.kind, err)
	}
	if p.writer.SinkFailing() {
		return fmt.Errorf("%s: inserts are failing; audit events are spooled", p.kind)
	}
	return nil
}

// close drains the writer (to the store, or to the spool when the store does not answer
// within timeout), then releases the store's connections.
func (p *auditPipeline) close(timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var err error
	if p.writer != nil {
		err = p.writer.Close(ctx)
	}
	p.closePool()
	return err
}

func (p *auditPipeline) closePool() {
	if p.ch != nil {
		p.ch.Close()
	}
}

// AuditStats exposes the writer's counters (tests and diagnostics).
func (s *Service) AuditStats() auditwriter.Stats { return s.audit.writer.Stats() }

// FlushAudit waits until every audit event recorded so far is stored, including the failed
// authentications held back for coalescing.
func (s *Service) FlushAudit(ctx context.Context) error {
	if s.auth != nil {
		s.auth.FlushAudit()
	}
	return s.audit.writer.Flush(ctx)
}

// PurgeAudit runs one retention pass of the SQL audit store now (Run does it hourly) and
// answers how many rows it deleted; with ClickHouse, whose TTL expires rows, it does nothing.
func (s *Service) PurgeAudit(ctx context.Context) (int, error) {
	if s.audit.retention == nil {
		return 0, nil
	}
	return s.audit.retention.PurgeOnce(ctx)
}

// superAdmins adapts the decider's cached profile to the audit query service.
type superAdmins struct{ d *authz.Decider }

func (a superAdmins) IsSuperAdmin(ctx context.Context, userID uuid.UUID) (bool, error) {
	p, err := a.d.Profile(ctx, userID)
	if err != nil {
		return false, err
	}
	return p.SuperAdmin, nil
}

// directAuditSink is the configured store without the writer, for one-shot commands (the
// serving process owns the spool): each event is written before the command goes on.
func directAuditSink(ctx context.Context, cfg *config.Config, db *sqldb.DB, log *slog.Logger) (audit.Sink, func(), error) {
	if cfg.ClickHouse.Addr == "" {
		return sqlsinkFor(db), func() {}, nil
	}
	pool, err := openClickHouse(ctx, cfg, log)
	if err != nil {
		return nil, nil, err
	}
	return auditch.New(pool), pool.Close, nil
}
