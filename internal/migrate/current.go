package migrate

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"ariga.io/atlas/sql/migrate"
)

// Current returns nil when every file of the directory is applied, else an error naming the
// pending versions. Unlike Status it only reads: no lock, no connection settings, no history
// table created, because readiness probes call it every few seconds and must neither wait
// behind a migrator nor block one.
func (r *Runner) Current(ctx context.Context) error {
	ex, err := r.executor(ctx, r.db)
	if err != nil {
		return err
	}
	files, err := ex.Pending(ctx)
	switch {
	case errors.Is(err, migrate.ErrNoPendingFiles):
		return nil
	case err != nil:
		return fmt.Errorf("read migration state: %w", err)
	case len(files) == 0:
		return nil
	}
	versions := make([]string, len(files))
	for i, f := range files {
		versions[i] = f.Version()
	}
	return fmt.Errorf("%d migration(s) pending: %s; run `telemetryflow migrate up`", len(files), strings.Join(versions, ", "))
}
