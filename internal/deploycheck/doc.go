// Package deploycheck holds the tests that keep docker/ honest without a Docker engine: the
// compose file against the Compose specification and the architecture's topology, and every
// Grafana dashboard query against a real Prometheus scraping the real service.
package deploycheck
