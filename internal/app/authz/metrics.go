package authz

import "github.com/prometheus/client_golang/prometheus"

// Register exports the decider's counters under the names fixed in docs/observability.md.
// They read the atomics the hot path already keeps, so metrics add nothing to a decision.
func (d *Decider) Register(reg prometheus.Registerer) error {
	counter := func(name, help string, labels prometheus.Labels, read func() uint64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Namespace: "telemetryflow", Subsystem: "authz", Name: name,
			Help: help, ConstLabels: labels}, func() float64 { return float64(read()) })
	}
	for _, c := range []prometheus.Collector{
		counter("decisions_total", "Authorization decisions by result.", prometheus.Labels{"result": "allowed"}, d.allowed.Load),
		counter("decisions_total", "Authorization decisions by result.", prometheus.Labels{"result": "denied"}, d.denied.Load),
		counter("permission_cache_lookups_total", "Permission cache lookups by result.", prometheus.Labels{"result": "hit"}, d.hits.Load),
		counter("permission_cache_lookups_total", "Permission cache lookups by result.", prometheus.Labels{"result": "miss"}, d.misses.Load),
		counter("permission_cache_invalidations_total", "Permission cache invalidations caused by change events.", nil, d.invalidations.Load),
	} {
		if err := reg.Register(c); err != nil {
			return err
		}
	}
	return nil
}
