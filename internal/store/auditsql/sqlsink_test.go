package auditsql_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent/auditlog"
	"github.com/telemetryflow/core/internal/platform/sqldb"
	"github.com/telemetryflow/core/internal/store"
	"github.com/telemetryflow/core/internal/store/auditsql"
	"github.com/telemetryflow/core/internal/testutil/audittest"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
)

type counter struct{ db *sqldb.DB }

func (c counter) CountIDs(ctx context.Context, ids []uuid.UUID) (int, error) {
	n := 0
	for start := 0; start < len(ids); start += 500 {
		k, err := store.Open(c.db).AuditLog.Query().Where(auditlog.IDIn(ids[start:min(start+500, len(ids))]...)).Count(ctx)
		if err != nil {
			return 0, err
		}
		n += k
	}
	return n, nil
}

func TestSinkContract(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		audittest.RunSinkContract(t, auditsql.New(store.Open(db), db.SQL), counter{db})
	})
}

func TestReaderContract(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			audittest.RunReaderContract(t, func(t *testing.T) audittest.Store {
				db := dbtest.Open(t, dia)
				return auditsql.New(store.Open(db), db.SQL)
			})
		})
	}
}
