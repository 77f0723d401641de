// Package auditch stores and queries audit events in ClickHouse through ch-go's native
// protocol: batches go in as columnar blocks with reused buffers, queries are parameterised,
// one query per file.
package auditch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"sync"

	"github.com/ClickHouse/ch-go"
	"github.com/ClickHouse/ch-go/proto"

	"github.com/telemetryflow/core/internal/app/audit"
	"github.com/telemetryflow/core/internal/domain/errs"
	"github.com/telemetryflow/core/internal/platform/chdb"
)

// Sink writes to and reads from the audit_logs table and its daily summaries.
type Sink struct {
	db chdb.Doer

	// cols holds reusable blocks: each concurrent insert takes one, and its buffers keep their
	// capacity from batch to batch.
	cols sync.Pool

	// uncertain holds the tokens of batches whose last attempt failed after it may have
	// reached the server; the writer retries a batch until it succeeds, which clears it.
	mu        sync.Mutex
	uncertain map[string]bool
	log       *slog.Logger
}

var (
	_ audit.Sink   = (*Sink)(nil)
	_ audit.Reader = (*Sink)(nil)
)

// New builds a sink on a pool (or a single client) whose database holds the migrated schema.
func New(db chdb.Doer) *Sink {
	s := &Sink{db: db, uncertain: map[string]bool{}, log: slog.New(slog.DiscardHandler)}
	s.cols.New = func() any { return newColumns() }
	return s
}

// WithLog sets where repairs are reported (repair.go); the default discards.
func (s *Sink) WithLog(l *slog.Logger) *Sink {
	s.log = l
	return s
}

// Write inserts the batch as one block. The block carries a deduplication token derived from
// the events' ids in order: when the identical batch is inserted again (a retry after a
// timeout, a replay after a crash), ClickHouse recognises the token and drops the repeat in
// audit_logs and in the materialized views' tables, so neither rows nor daily counts double.
//
// When an earlier attempt of the batch failed after it may have reached the server, the
// successful retry is followed by a repair (repair.go): a server killed mid-insert can keep
// the token and lose the data.
func (s *Sink) Write(ctx context.Context, events []audit.Event) error {
	if len(events) == 0 {
		return nil
	}
	token := Token(events)
	if err := s.insert(ctx, events, token); err != nil {
		if !notSent(err) {
			s.mu.Lock()
			s.uncertain[token] = true
			s.mu.Unlock()
		}
		return err
	}
	s.mu.Lock()
	check := s.uncertain[token]
	s.mu.Unlock()
	if !check {
		return nil
	}
	if err := s.repair(ctx, events); err != nil {
		return fmt.Errorf("clickhouse: batch stored, but the check after an interrupted insert failed: %w", err)
	}
	s.mu.Lock()
	delete(s.uncertain, token)
	s.mu.Unlock()
	return nil
}

func (s *Sink) insert(ctx context.Context, events []audit.Event, token string) error {
	c := s.cols.Get().(*columns)
	defer s.cols.Put(c)
	c.reset()
	for i := range events {
		c.append(&events[i])
	}
	return s.db.Do(ctx, ch.Query{
		Body:  c.insert,
		Input: c.input,
		Settings: []ch.Setting{
			{Key: "insert_deduplicate", Value: "1"},
			{Key: "insert_deduplication_token", Value: token},
			{Key: "deduplicate_blocks_in_dependent_materialized_views", Value: "1"},
			// On a cluster the insert goes through a Distributed table: sent to the shards before
			// it returns (not queued on this server's disk), so success means stored. Ignored
			// by the single-node tables.
			{Key: "distributed_foreground_insert", Value: "1"},
		},
	})
}

// Token identifies a batch by the ids of its events, in order.
func Token(events []audit.Event) string {
	h := sha256.New()
	for i := range events {
		h.Write(events[i].ID[:])
	}
	var sum [sha256.Size]byte
	return "tf-audit-" + hex.EncodeToString(h.Sum(sum[:0])[:16])
}

// read runs a query of the query API. A server that cannot be reached (down, or not connected
// yet at start) is a 503 for the caller, not an internal error: the events are in the spool.
func (s *Sink) read(ctx context.Context, q ch.Query) error {
	err := s.db.Do(ctx, q)
	if err != nil && notSent(err) {
		return errs.Wrap(errs.KindUnavailable, errs.CodeUnavailable,
			"The audit store cannot be reached; recorded events are kept and stored once it answers.", err)
	}
	return err
}

// Ping checks the server answers.
func (s *Sink) Ping(ctx context.Context) error {
	var one proto.ColUInt8
	return s.db.Do(ctx, ch.Query{Body: "SELECT 1 AS one", Result: proto.Results{{Name: "one", Data: &one}}})
}
