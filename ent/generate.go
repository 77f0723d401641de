// Package ent holds the code generated from ent/schema. Regenerate with `go tool task generate`.
package ent

//go:generate go tool ent generate --feature sql/versioned-migration,sql/upsert,sql/execquery,sql/modifier,sql/lock ./schema
