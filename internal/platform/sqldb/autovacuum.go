package sqldb

import (
	"context"

	"entgo.io/ent/dialect"
)

// AutovacuumOff reports whether this is a PostgreSQL server with autovacuum turned off.
//
// Without autovacuum nothing runs ANALYZE, and an ANALYZE is also what invalidates the plans
// pgx's cached prepared statements hold. A plan made while a table was nearly empty — a
// sequential scan and sort of the audit log, say — then stays in use as the table grows: a
// PostgreSQL soak on such a server served 457, then 233 requests/s, and 1,639/s the minute
// after a manual ANALYZE (docs/benchmarks-request-path.md). SQLite answers false.
func (d *DB) AutovacuumOff(ctx context.Context) (bool, error) {
	if d.Dialect != dialect.Postgres {
		return false, nil
	}
	var on bool
	err := d.SQL.QueryRowContext(ctx, "SELECT current_setting('autovacuum')::boolean").Scan(&on)
	return !on, err
}
