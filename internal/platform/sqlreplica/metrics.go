package sqlreplica

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

var (
	descUp = prometheus.NewDesc("telemetryflow_db_replica_up",
		"1 while the read replica is in rotation (answers as a replica, no more than TF_DATABASE_MAX_REPLICA_LAG behind), else 0.", []string{"replica"}, nil)
	descLag = prometheus.NewDesc("telemetryflow_db_replica_lag_seconds",
		"How far the read replica is behind the primary, as last polled.", []string{"replica"}, nil)
	descQueries = prometheus.NewDesc("telemetryflow_db_replica_queries_total",
		"Reads sent to the read replica.", []string{"replica"}, nil)
	descFailures = prometheus.NewDesc("telemetryflow_db_replica_failures_total",
		"Reads the read replica failed (retried on the primary).", []string{"replica"}, nil)
	descPrimary = prometheus.NewDesc("telemetryflow_db_primary_reads_total",
		"Reads that could have gone to a replica but went to the primary, by reason.", []string{"reason"}, nil)
)

// Describe implements prometheus.Collector.
func (r *Router) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descUp, descLag, descQueries, descFailures, descPrimary} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (r *Router) Collect(ch chan<- prometheus.Metric) {
	for _, rep := range r.replicas {
		up := 0.0
		if rep.healthy.Load() {
			up = 1
		}
		ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, up, rep.Name)
		ch <- prometheus.MustNewConstMetric(descLag, prometheus.GaugeValue, time.Duration(rep.lag.Load()).Seconds(), rep.Name)
		ch <- prometheus.MustNewConstMetric(descQueries, prometheus.CounterValue, float64(rep.queries.Load()), rep.Name)
		ch <- prometheus.MustNewConstMetric(descFailures, prometheus.CounterValue, float64(rep.failures.Load()), rep.Name)
	}
	for i, name := range reasonNames {
		ch <- prometheus.MustNewConstMetric(descPrimary, prometheus.CounterValue, float64(r.primaryReads[i].Load()), name)
	}
}
