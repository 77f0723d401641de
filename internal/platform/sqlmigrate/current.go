package sqlmigrate

import (
	"context"
	"fmt"
	"strings"

	"ariga.io/atlas/sql/migrate"
)

// Current returns nil when every file of the directory is recorded as fully applied, else an
// error naming the pending versions. Unlike Status it only reads the history table: no lock, no
// connection settings, no atlas driver, because readiness probes call it every few seconds and
// must neither wait behind a migrator nor block one.
func (r *Runner) Current(ctx context.Context) error {
	revs, err := (&revisions{q: r.db, dialect: r.dialect}).ReadRevisions(ctx)
	if err != nil {
		return fmt.Errorf("read migration history: %w", err)
	}
	done := make(map[string]bool, len(revs))
	for _, rev := range revs {
		if rev.Applied == rev.Total && rev.Error == "" {
			done[rev.Version] = true
		}
	}
	files, err := r.dir.Files()
	if err != nil {
		return err
	}
	var pending []string
	for _, f := range migrate.SkipCheckpointFiles(files) {
		if !done[f.Version()] {
			pending = append(pending, f.Version())
		}
	}
	if len(pending) > 0 {
		return fmt.Errorf("%d migration(s) pending: %s; run `telemetryflow migrate up`", len(pending), strings.Join(pending, ", "))
	}
	return nil
}
