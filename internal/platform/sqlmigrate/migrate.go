// Package sqlmigrate applies the versioned migration directories with the atlas library: each file
// in its own transaction, history in the same table the atlas CLI uses.
package sqlmigrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/sqlite"
	"entgo.io/ent/dialect"

	"github.com/telemetryflow/core/migrations"
)

// Runner applies one dialect's migration directory to one database.
type Runner struct {
	db      *sql.DB
	dialect string
	dir     migrate.Dir
	log     *slog.Logger
}

// Status describes where a database stands against the migration directory.
type Status struct {
	Current string   // last applied version, empty if none
	Applied int      // number of applied files
	Pending []string // versions not yet applied, in order
}

// New builds a runner on the embedded directory of the database's dialect.
func New(db *sql.DB, dia string, log *slog.Logger) (*Runner, error) {
	dir, err := EmbeddedDir(dia)
	if err != nil {
		return nil, err
	}
	return NewWithDir(db, dia, dir, log), nil
}

// NewWithDir builds a runner on any directory (tests use it for synthetic migrations).
func NewWithDir(db *sql.DB, dia string, dir migrate.Dir, log *slog.Logger) *Runner {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Runner{db: db, dialect: dia, dir: dir, log: log}
}

// EmbeddedDir copies the embedded files of one dialect into an atlas in-memory directory.
func EmbeddedDir(dia string) (migrate.Dir, error) {
	name := map[string]string{dialect.SQLite: "sqlite", dialect.Postgres: "postgres"}[dia]
	if name == "" {
		return nil, fmt.Errorf("no migrations for dialect %q", dia)
	}
	entries, err := fs.ReadDir(migrations.FS, name)
	if err != nil {
		return nil, err
	}
	dir := &migrate.MemDir{}
	for _, e := range entries {
		b, err := fs.ReadFile(migrations.FS, path.Join(name, e.Name()))
		if err != nil {
			return nil, err
		}
		if err := dir.WriteFile(e.Name(), b); err != nil {
			return nil, err
		}
	}
	return dir, nil
}

// Up applies every pending file and returns the versions it applied.
func (r *Runner) Up(ctx context.Context) ([]string, error) {
	conn, release, err := r.session(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	var applied []string
	for {
		pending, err := r.pending(ctx, conn)
		if err != nil {
			return applied, err
		}
		if len(pending) == 0 {
			return applied, nil
		}
		f := pending[0]
		if err := r.applyFile(ctx, conn, f); err != nil {
			return applied, fmt.Errorf("migration %s: %w", f.Name(), err)
		}
		r.log.Info("migration applied", "version", f.Version(), "file", f.Name(), "dialect", r.dialect)
		applied = append(applied, f.Version())
	}
}

// Status reports applied and pending versions without changing anything.
func (r *Runner) Status(ctx context.Context) (Status, error) {
	conn, release, err := r.session(ctx)
	if err != nil {
		return Status{}, err
	}
	defer release()
	rrw := &revisions{q: conn, dialect: r.dialect}
	revs, err := rrw.ReadRevisions(ctx)
	if err != nil {
		return Status{}, err
	}
	var st Status
	for _, rev := range revs {
		if rev.Applied == rev.Total && rev.Error == "" {
			st.Applied++
			st.Current = rev.Version
		}
	}
	pending, err := r.pending(ctx, conn)
	if err != nil {
		return st, err
	}
	for _, f := range pending {
		st.Pending = append(st.Pending, f.Version())
	}
	return st, nil
}

// session pins one connection, serialises concurrent migrators and prepares the dialect's
// connection settings; release undoes all of it.
func (r *Runner) session(ctx context.Context) (*sql.Conn, func(), error) {
	conn, err := r.db.Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	undo := []func(){func() { _ = conn.Close() }}
	release := func() {
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
	}
	fail := func(err error) (*sql.Conn, func(), error) { release(); return nil, nil, err }
	switch r.dialect {
	case dialect.Postgres:
		// Two replicas starting together must not both apply the same file.
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, advisoryLockKey); err != nil {
			return fail(fmt.Errorf("take migration lock: %w", err))
		}
		undo = append(undo, func() {
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, advisoryLockKey)
		})
	case dialect.SQLite:
		// atlas rebuilds SQLite tables under "PRAGMA foreign_keys = off", which is a no-op inside a
		// transaction: left on, DROP TABLE would cascade and delete rows of join tables. The pragma
		// only works outside a transaction, so set it here and verify integrity before each commit.
		if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = off`); err != nil {
			return fail(err)
		}
		undo = append(undo, func() {
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA foreign_keys = on`)
		})
	}
	if err := (&revisions{q: conn, dialect: r.dialect}).ensure(ctx); err != nil {
		return fail(fmt.Errorf("create %s: %w", revisionTable, err))
	}
	return conn, release, nil
}

// advisoryLockKey is an arbitrary constant shared by every instance of the service.
const advisoryLockKey int64 = 0x7466_6d69_6772 // "tfmigr"

func (r *Runner) pending(ctx context.Context, conn *sql.Conn) ([]migrate.File, error) {
	ex, err := r.executor(ctx, conn)
	if err != nil {
		return nil, err
	}
	files, err := ex.Pending(ctx)
	if errors.Is(err, migrate.ErrNoPendingFiles) {
		return nil, nil
	}
	return files, err
}

func (r *Runner) applyFile(ctx context.Context, conn *sql.Conn, f migrate.File) (err error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	ex, err := r.executor(ctx, tx)
	if err != nil {
		return err
	}
	if err := ex.Execute(ctx, f); err != nil {
		return err
	}
	if r.dialect == dialect.SQLite {
		if err := foreignKeyCheck(ctx, tx); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func (r *Runner) executor(ctx context.Context, q querier) (*migrate.Executor, error) {
	var (
		drv migrate.Driver
		err error
	)
	switch r.dialect {
	case dialect.Postgres:
		drv, err = postgres.Open(q)
	case dialect.SQLite:
		drv, err = sqlite.Open(q)
	default:
		err = fmt.Errorf("unsupported dialect %q", r.dialect)
	}
	if err != nil {
		return nil, err
	}
	return migrate.NewExecutor(drv, r.dir, &revisions{q: q, dialect: r.dialect},
		migrate.WithOperatorVersion("telemetryflow"))
}

// foreignKeyCheck fails when the transaction left rows that point nowhere.
func foreignKeyCheck(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return err
	}
	defer rows.Close()
	if rows.Next() {
		var table string
		var rowid sql.NullInt64
		var parent string
		var fkid int
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return err
		}
		return fmt.Errorf("foreign key violation after migration: table %s row %d references missing %s", table, rowid.Int64, parent)
	}
	return rows.Err()
}
