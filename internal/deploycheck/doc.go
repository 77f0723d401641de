// Package deploycheck holds the tests that keep docker/ honest without a Docker engine: the
// compose file against the Compose specification and the architecture's topology, every
// Grafana dashboard query against a real Prometheus scraping the real service, and every
// ClickHouse dashboard query, its Grafana macros expanded as the ClickHouse plugin expands them
// (ExpandClickHouseMacros), against a real ClickHouse holding the service's audit events.
package deploycheck
