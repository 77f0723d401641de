package ratelimit

import "github.com/prometheus/client_golang/prometheus"

// Register exports whether the limit is shared right now and how many decisions fell back.
func (s *Shared) Register(reg prometheus.Registerer) error {
	up := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: "telemetryflow", Subsystem: "ratelimit", Name: "shared_up",
		Help: "1 while the login rate limit is shared through Redis, 0 while each instance limits on its own."},
		func() float64 {
			if s.Up() {
				return 1
			}
			return 0
		})
	fallbacks := prometheus.NewCounterFunc(prometheus.CounterOpts{Namespace: "telemetryflow", Subsystem: "ratelimit", Name: "fallbacks_total",
		Help: "Login rate-limit decisions made per instance because Redis did not answer."},
		func() float64 { return float64(s.Fallbacks()) })
	for _, c := range []prometheus.Collector{up, fallbacks} {
		if err := reg.Register(c); err != nil {
			return err
		}
	}
	return nil
}
