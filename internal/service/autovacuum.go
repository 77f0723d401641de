package service

import (
	"context"
	"log/slog"

	"github.com/telemetryflow/core/internal/platform/sqldb"
)

// warnIfAutovacuumOff tells the operator, once at start, that the server's statistics will go
// stale (sqldb.DB.AutovacuumOff says why that matters). The service runs either way: the
// setting is the database administrator's, and some run ANALYZE on a schedule of their own.
func warnIfAutovacuumOff(ctx context.Context, db *sqldb.DB, log *slog.Logger) {
	off, err := db.AutovacuumOff(ctx)
	switch {
	case err != nil:
		log.WarnContext(ctx, "could not read PostgreSQL's autovacuum setting", "error", err)
	case off:
		log.WarnContext(ctx, "PostgreSQL autovacuum is off: table statistics are never refreshed, so query plans made while tables were small stay in use as they grow; turn it on, or run ANALYZE regularly",
			"setting", "autovacuum")
	}
}
