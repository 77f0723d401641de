// Package core embeds the HTTP contract so the binary serves and enforces exactly the file
// the code was generated from.
package core

import _ "embed"

// OpenAPI is openapi.yaml, the single source of truth for the HTTP API.
//
//go:embed openapi.yaml
var OpenAPI []byte
