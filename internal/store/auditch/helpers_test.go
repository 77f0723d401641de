package auditch_test

import (
	"context"
	"testing"

	"github.com/ClickHouse/ch-go"
	"github.com/ClickHouse/ch-go/chpool"
	"github.com/ClickHouse/ch-go/proto"
	"github.com/google/uuid"

	"github.com/telemetryflow/core/internal/platform/chdb"
	"github.com/telemetryflow/core/internal/store/auditch"
	"github.com/telemetryflow/core/internal/testutil/chtest"
)

// store is a migrated per-test database with a sink on a pool (the sink runs queries
// concurrently; a single ch.Client would not).
type store struct {
	*auditch.Sink
	srv  *chtest.Server
	pool *chpool.Pool
}

func newStore(t *testing.T) *store {
	t.Helper()
	srv := chtest.New(t)
	pool := chtest.Migrated(t, chdb.Config{Addr: srv.Addr, Database: srv.Database, User: "default"})
	return &store{Sink: auditch.New(pool), srv: srv, pool: pool}
}

// CountIDs counts physical rows (no FINAL): a duplicate row counts twice.
func (s *store) CountIDs(ctx context.Context, ids []uuid.UUID) (int, error) {
	var n proto.ColUInt64
	var col proto.ColUUID
	for _, id := range ids {
		col.Append(id)
	}
	// The ids go in as a temporary table of data, not as SQL text.
	err := s.pool.Do(ctx, ch.Query{
		Body:          "SELECT count() FROM audit_logs WHERE id IN ids",
		Result:        proto.Results{{Name: "count()", Data: &n}},
		ExternalTable: "ids",
		ExternalData:  []proto.InputColumn{{Name: "id", Data: &col}},
	})
	if err != nil {
		return 0, err
	}
	return int(n.Row(0)), nil
}

func (s *store) count(t *testing.T, query string) uint64 {
	t.Helper()
	var n proto.ColUInt64
	if err := s.pool.Do(context.Background(), ch.Query{Body: query, Result: proto.Results{{Name: "n", Data: &n}}}); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n.Row(0)
}

func (s *store) exec(t *testing.T, query string) {
	t.Helper()
	if err := s.pool.Do(context.Background(), ch.Query{Body: query}); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}
