package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// DependencyCheck runs the readiness checks and returns, by dependency name, the error (nil when
// up) and how long the check took.
type DependencyCheck func(ctx context.Context) map[string]DependencyResult

// DependencyResult is one check's outcome.
type DependencyResult struct {
	Err      error
	Duration time.Duration
}

// dependencies runs the readiness checks at scrape time, so the dashboards see the same
// verdict /health/ready gives, as fresh as the scrape, with no background poller to keep alive.
type dependencies struct {
	check    DependencyCheck
	up       *prometheus.Desc
	duration *prometheus.Desc
}

// RegisterDependencies exports telemetryflow_dependency_up and
// telemetryflow_dependency_check_duration_seconds, labelled by dependency.
func RegisterDependencies(reg prometheus.Registerer, check DependencyCheck) error {
	return reg.Register(&dependencies{
		check: check,
		up: prometheus.NewDesc(prometheus.BuildFQName(Namespace, "dependency", "up"),
			"1 when the dependency passed its readiness check at scrape time, else 0.", []string{"dependency"}, nil),
		duration: prometheus.NewDesc(prometheus.BuildFQName(Namespace, "dependency", "check_duration_seconds"),
			"How long the dependency's readiness check took at scrape time.", []string{"dependency"}, nil),
	})
}

func (d *dependencies) Describe(ch chan<- *prometheus.Desc) {
	ch <- d.up
	ch <- d.duration
}

func (d *dependencies) Collect(ch chan<- prometheus.Metric) {
	for name, res := range d.check(context.Background()) {
		up := 1.0
		if res.Err != nil {
			up = 0
		}
		ch <- prometheus.MustNewConstMetric(d.up, prometheus.GaugeValue, up, name)
		ch <- prometheus.MustNewConstMetric(d.duration, prometheus.GaugeValue, res.Duration.Seconds(), name)
	}
}
