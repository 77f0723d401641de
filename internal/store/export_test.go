package store

import (
	"testing"

	"github.com/telemetryflow/core/internal/app/port"
)

// Tx exposes the transactional repositories over the pool, so tests can call read methods
// that only the write side has (Children, Holders) without a transaction.
func (s *Store) Tx(testing.TB) port.Tx { return &txView{repos: s.repos()} }
