package service

import (
	"context"

	"github.com/telemetryflow/core/internal/platform/config"
	"github.com/telemetryflow/core/internal/platform/metrics"
	"github.com/telemetryflow/core/internal/platform/sqldb"
)

// openSQLiteReads opens a second pool on the embedded SQLite file for the store's queries.
// A write transaction holds its connection while it waits for SQLite's single write lock and
// for its fsync; with one pool for both, a burst of writes left reads queueing for a
// connection (1,000 connections under the load harness: reads waited ~1.3 s at the median
// while the decision checks, which read no table, answered in 13 ms —
// docs/benchmarks-request-path.md). WAL lets these connections read while a write is in
// progress, and a commit is visible to them as soon as it returns, so read-your-writes holds.
// (A first try was reverted after a 10-minute soak degraded; the cause was the audit page's
// OR, which sorted the whole log and held these connections longer as the log grew — fixed
// in auditsql, and the soak then held steady.)
func (s *Service) openSQLiteReads(ctx context.Context, cfg *config.Config, obs *observability) (*sqldb.DB, error) {
	reads, err := sqldb.Open(ctx, sqldb.Config{URL: cfg.Database.URL, DataDir: cfg.Database.DataDir})
	if err != nil {
		return nil, err
	}
	s.closers = append(s.closers, reads.Close)
	if err := metrics.RegisterDB(obs.registry, reads.SQL, "telemetryflow_reads"); err != nil {
		return nil, err
	}
	return reads, nil
}
