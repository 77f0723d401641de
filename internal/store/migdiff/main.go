// Command migdiff writes the next versioned migration for each SQL dialect from the ent schema
// (task migrate:diff NAME=...), or with -check fails when the schema has changes that no
// migration file holds yet (task check-generated).
package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	atlas "ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/telemetryflow/core/ent/migrate"
)

func main() {
	name := flag.String("name", "", "migration name (required unless -check)")
	check := flag.Bool("check", false, "fail if the schema differs from the migration directories")
	root := flag.String("dir", "migrations", "directory holding one sub-directory per dialect")
	pgURL := flag.String("postgres", envOr("TF_DEV_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"),
		"PostgreSQL server used as a scratch dev database")
	flag.Parse()
	if !*check && !validName(*name) {
		fail(errors.New("NAME is required: lower-case letters, digits and underscores"))
	}
	ctx := context.Background()
	for _, dia := range []string{dialect.SQLite, dialect.Postgres} {
		if err := run(ctx, dia, filepath.Join(*root, dirName(dia)), *name, *check, *pgURL); err != nil {
			fail(fmt.Errorf("%s: %w", dia, err))
		}
	}
}

func run(ctx context.Context, dia, path, name string, check bool, pgURL string) error {
	local, err := atlas.NewLocalDir(path)
	if err != nil {
		return err
	}
	if err := atlas.Validate(local); err != nil {
		return fmt.Errorf("%s does not match its atlas.sum (edit migrations only through this tool): %w", path, err)
	}
	var dir atlas.Dir = local
	if check {
		mem, err := copyDir(local)
		if err != nil {
			return err
		}
		dir, name = mem, "check"
	}
	db, cleanup, err := devDatabase(ctx, dia, pgURL)
	if err != nil {
		return err
	}
	defer cleanup()
	before, err := dir.Files()
	if err != nil {
		return err
	}
	m, err := schema.NewMigrate(entsql.OpenDB(dia, db),
		schema.WithDir(dir),
		schema.WithMigrationMode(schema.ModeReplay),
		schema.WithFormatter(atlas.DefaultFormatter),
		schema.WithDialect(dia),
		schema.WithDropColumn(true),
		schema.WithDropIndex(true),
	)
	if err != nil {
		return err
	}
	if err := m.NamedDiff(ctx, name, migrate.Tables...); err != nil {
		return err
	}
	after, err := dir.Files()
	if err != nil {
		return err
	}
	switch {
	case check && len(after) != len(before):
		return fmt.Errorf("ent/schema has changes without a migration in %s: run `go tool task migrate:diff NAME=<name>`", path)
	case !check && len(after) == len(before):
		fmt.Printf("%s: no changes\n", path)
	case !check:
		fmt.Printf("%s: wrote %s\n", path, after[len(after)-1].Name())
	}
	return nil
}

// devDatabase gives atlas an empty database to replay the directory on.
func devDatabase(ctx context.Context, dia, pgURL string) (*sql.DB, func(), error) {
	if dia == dialect.SQLite {
		db, err := sql.Open("sqlite", "file:migdiff?mode=memory&_pragma=foreign_keys(1)")
		if err != nil {
			return nil, nil, err
		}
		db.SetMaxOpenConns(1) // one connection = one in-memory database
		return db, func() { _ = db.Close() }, nil
	}
	admin, err := sql.Open("pgx", pgURL)
	if err != nil {
		return nil, nil, err
	}
	suffix := make([]byte, 6)
	_, _ = rand.Read(suffix)
	name := "tf_migdiff_" + hex.EncodeToString(suffix)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		_ = admin.Close()
		return nil, nil, fmt.Errorf("create scratch database (is PostgreSQL running at %s?): %w", pgURL, err)
	}
	u, err := url.Parse(pgURL)
	if err != nil {
		return nil, nil, err
	}
	u.Path = "/" + name
	db, err := sql.Open("pgx", u.String())
	if err != nil {
		return nil, nil, err
	}
	return db, func() {
		_ = db.Close()
		_, _ = admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		_ = admin.Close()
	}, nil
}

func copyDir(src atlas.Dir) (*atlas.MemDir, error) {
	files, err := src.Files()
	if err != nil {
		return nil, err
	}
	mem := &atlas.MemDir{}
	for _, f := range files {
		if err := mem.WriteFile(f.Name(), f.Bytes()); err != nil {
			return nil, err
		}
	}
	sum, err := src.Checksum()
	if err != nil {
		return nil, err
	}
	return mem, atlas.WriteSumFile(mem, sum)
}

func dirName(dia string) string {
	if dia == dialect.Postgres {
		return "postgres"
	}
	return "sqlite"
}

func validName(s string) bool {
	return s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == ""
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "migdiff:", err)
	os.Exit(1)
}
