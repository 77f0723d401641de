package sqlreplica

import (
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// replicaFault tells a replica's failure (unreachable, shutting down, replay conflicting with
// the query) from the query's own error, which the primary would answer the same.
func replicaFault(err error) bool {
	var pg *pgconn.PgError
	if !errors.As(err, &pg) {
		return true // no answer from the server: connection refused, reset, timed out
	}
	switch {
	case strings.HasPrefix(pg.Code, "08"), // connection exception
		strings.HasPrefix(pg.Code, "57"), // operator intervention: shutdown, cannot connect now
		pg.Code == "40001",               // cancelled by a conflict with recovery
		pg.Code == "25006":               // read-only transaction: the server is not a replica we can use
		return true
	}
	return false
}
