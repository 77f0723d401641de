package sqlsink_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/telemetryflow/core/ent/auditlog"
	"github.com/telemetryflow/core/internal/audit/audittest"
	"github.com/telemetryflow/core/internal/audit/sqlsink"
	"github.com/telemetryflow/core/internal/database"
	"github.com/telemetryflow/core/internal/testutil/dbtest"
)

type counter struct{ db *database.DB }

func (c counter) CountIDs(ctx context.Context, ids []uuid.UUID) (int, error) {
	n := 0
	for start := 0; start < len(ids); start += 500 {
		k, err := c.db.Ent.AuditLog.Query().Where(auditlog.IDIn(ids[start:min(start+500, len(ids))]...)).Count(ctx)
		if err != nil {
			return 0, err
		}
		n += k
	}
	return n, nil
}

func TestSinkContract(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		audittest.RunSinkContract(t, sqlsink.New(db.Ent, db.SQL), counter{db})
	})
}

func TestReaderContract(t *testing.T) {
	t.Parallel()
	for _, dia := range dbtest.Dialects {
		t.Run(dia, func(t *testing.T) {
			t.Parallel()
			audittest.RunReaderContract(t, func(t *testing.T) audittest.Store {
				db := dbtest.Open(t, dia)
				return sqlsink.New(db.Ent, db.SQL)
			})
		})
	}
}
