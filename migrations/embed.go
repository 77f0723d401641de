// Package migrations embeds the versioned migration directories (atlas format) so the binary
// applies exactly the files that `atlas migrate apply` would.
package migrations

import "embed"

// FS holds one directory per dialect: postgres/, sqlite/ (and clickhouse/ for the audit store).
//
//go:embed postgres sqlite
var FS embed.FS
