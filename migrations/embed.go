// Package migrations embeds the versioned migration directories (atlas format) so the binary
// applies exactly the files that `atlas migrate apply` would.
package migrations

import "embed"

// FS holds one directory per dialect: postgres/, sqlite/ (and clickhouse/ for the audit store).
//
//go:embed postgres sqlite
var FS embed.FS

// ClickHouse holds the audit store's migrations, applied by internal/platform/chmigrate (atlas does not
// manage ClickHouse): versioned .sql files, each a list of statements ending in ";". clickhouse/
// is the single-node schema, clickhouse-cluster/ the schema on a cluster (TF_CLICKHOUSE_CLUSTER).
//
//go:embed clickhouse/*.sql clickhouse-cluster/*.sql
var ClickHouse embed.FS
