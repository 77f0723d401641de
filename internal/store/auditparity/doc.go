// Package auditparity holds the tests that keep the audit stores interchangeable: the same
// events written to the SQL store (SQLite, PostgreSQL) and to ClickHouse must give the same
// daily statistics and user activity, compared store against store, directly and through the
// HTTP API. Each store's contract suite (audittest) checks it against a reference model; these
// tests check the stores against each other on cases chosen where they are most likely to
// differ: UTC day boundaries, half-open ranges, scopes, anonymous events.
package auditparity
