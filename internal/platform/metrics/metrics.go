// Package metrics owns the process's one Prometheus registry and the metrics every request
// shares. The composition root creates the registry and passes it to each component that
// exports metrics of its own; names follow docs/observability.md.
package metrics

import (
	"database/sql"
	"net/http"
	"runtime"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Namespace prefixes every metric this service defines.
const Namespace = "telemetryflow"

// NewRegistry returns a registry with the Go runtime, process and build-info collectors.
func NewRegistry(version string) *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Namespace:   Namespace,
			Name:        "build_info",
			Help:        "Always 1; the labels name the running build.",
			ConstLabels: prometheus.Labels{"version": version, "goversion": runtime.Version()},
		}, func() float64 { return 1 }),
	)
	return reg
}

// RegisterDB exports the pool statistics of db (go_sql_* with db_name=name).
func RegisterDB(reg prometheus.Registerer, db *sql.DB, name string) error {
	return reg.Register(collectors.NewDBStatsCollector(db, name))
}

// Handler serves reg in the Prometheus text format (or OpenMetrics when asked), and counts
// its own failures in promhttp_metric_handler_errors_total.
func Handler(reg *prometheus.Registry) http.Handler {
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		Registry:          reg,
		EnableOpenMetrics: true,
		// A slow scrape must not pile up goroutines behind the gather lock.
		MaxRequestsInFlight: 4,
	})
}
