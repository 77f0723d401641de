package store

import (
	entsql "entgo.io/ent/dialect/sql"

	"github.com/telemetryflow/core/ent"
	"github.com/telemetryflow/core/internal/platform/sqldb"
)

// Open builds the generated ent client over an open database: the one place where the pool
// becomes ent. Everything that holds the client is in the store layer (this package and
// auditsql, authzstore, seed); the composition root only passes it along.
func Open(db *sqldb.DB) *ent.Client {
	return ent.NewClient(ent.Driver(entsql.OpenDB(db.Dialect, db.SQL)))
}
