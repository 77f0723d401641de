package httpapi

// AuditAPI serves the audit query and export operations.
type AuditAPI struct{}
