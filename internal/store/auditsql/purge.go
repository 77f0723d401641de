package auditsql

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	entsql "entgo.io/ent/dialect/sql"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/telemetryflow/core/ent/auditlog"
)

// Purge deletes the events older than before, batch rows per statement (oldest first), so
// no statement holds SQLite's write lock or PostgreSQL's row locks for long and the writer's
// inserts interleave. It answers how many rows it deleted.
func (s *Sink) Purge(ctx context.Context, before time.Time, batch int) (int, error) {
	if batch <= 0 {
		return 0, errors.New("sqlsink: purge batch must be positive")
	}
	total := 0
	for {
		ids, err := s.client.AuditLog.Query().Where(auditlog.TimestampLT(before.UTC())).
			Order(auditlog.ByTimestamp(entsql.OrderAsc())).Limit(batch).IDs(ctx)
		if err != nil {
			return total, fmt.Errorf("purge audit logs: %w", err)
		}
		if len(ids) == 0 {
			return total, nil
		}
		n, err := s.client.AuditLog.Delete().Where(auditlog.IDIn(ids...)).Exec(ctx)
		total += n
		if err != nil {
			return total, fmt.Errorf("purge audit logs: %w", err)
		}
		if len(ids) < batch {
			return total, nil
		}
	}
}

// RetentionConfig tunes the SQL store's retention.
type RetentionConfig struct {
	Sink *Sink
	// Days is how long events are kept (TF_AUDIT_RETENTION_DAYS, 1–3650).
	Days int
	// Interval between purges; default one hour.
	Interval time.Duration
	// Batch is how many rows one DELETE removes; default 1000.
	Batch int
	Now   func() time.Time
	Log   *slog.Logger
}

// Retention applies TF_AUDIT_RETENTION_DAYS to the SQL audit store, which has no TTL of its
// own (ClickHouse expires rows itself): it deletes what is older, at start and periodically.
type Retention struct {
	cfg    RetentionConfig
	purged prometheus.Counter
}

// NewRetention validates cfg.
func NewRetention(cfg RetentionConfig) (*Retention, error) {
	if cfg.Sink == nil {
		return nil, errors.New("sqlsink: retention needs the sink")
	}
	if cfg.Days < 1 || cfg.Days > 3650 {
		return nil, fmt.Errorf("sqlsink: retention %d days is outside 1–3650", cfg.Days)
	}
	if cfg.Interval <= 0 {
		cfg.Interval = time.Hour
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 1000
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Retention{cfg: cfg, purged: prometheus.NewCounter(prometheus.CounterOpts{
		Namespace: "telemetryflow", Subsystem: "audit", Name: "rows_purged_total",
		Help: "Audit rows the SQL store deleted because they were older than TF_AUDIT_RETENTION_DAYS.",
	})}, nil
}

// Register exports telemetryflow_audit_rows_purged_total.
func (r *Retention) Register(reg prometheus.Registerer) error { return reg.Register(r.purged) }

// PurgeOnce deletes the events older than the retention now and answers how many.
func (r *Retention) PurgeOnce(ctx context.Context) (int, error) {
	cutoff := r.cfg.Now().Add(-time.Duration(r.cfg.Days) * 24 * time.Hour)
	n, err := r.cfg.Sink.Purge(ctx, cutoff, r.cfg.Batch)
	r.purged.Add(float64(n))
	if n > 0 {
		r.cfg.Log.Info("audit retention: rows purged", "rows", n, "before", cutoff.UTC())
	}
	return n, err
}

// Run purges at once and then every Interval until ctx ends.
func (r *Retention) Run(ctx context.Context) {
	t := time.NewTicker(r.cfg.Interval)
	defer t.Stop()
	for {
		if _, err := r.PurgeOnce(ctx); err != nil && ctx.Err() == nil {
			r.cfg.Log.Error("audit retention: purge failed", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
