package metrics

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// HTTP holds the RED metrics of the HTTP surface. Labels are bounded: route is the route
// template (never the raw path) and operation the contract's operationId or a fixed name;
// unknown routes share the value "unmatched".
type HTTP struct {
	requests *prometheus.CounterVec
	errors   *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inFlight prometheus.Gauge
}

// Route identifies what served a request, for labels.
type Route struct {
	Method    string
	Template  string
	Operation string
}

// NewHTTP registers the metrics on reg. known routes get their error counters created at zero,
// so an error ratio reads 0 rather than "no data" before the first failure.
func NewHTTP(reg prometheus.Registerer, known []Route) (*HTTP, error) {
	labels := []string{"method", "route", "operation"}
	m := &HTTP{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "http", Name: "requests_total",
			Help: "HTTP requests served, by route template, operation and status code.",
		}, append(labels, "code")),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "http", Name: "request_errors_total",
			Help: "HTTP requests answered with a server error (status 5xx).",
		}, labels),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace, Subsystem: "http", Name: "request_duration_seconds",
			Help: "Time from receiving the request to the end of the response.",
			// argon2id logins sit around 50-200 ms; exports stream for seconds.
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, labels),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: Namespace, Subsystem: "http", Name: "requests_in_flight",
			Help: "HTTP requests being served now.",
		}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.errors, m.duration, m.inFlight} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	for _, r := range known {
		m.errors.WithLabelValues(r.Method, r.Template, r.Operation)
	}
	return m, nil
}

// Start counts a request in flight; call the returned function with the outcome when it ends.
func (m *HTTP) Start() func(r Route, status int, elapsed time.Duration) {
	m.inFlight.Inc()
	return func(r Route, status int, elapsed time.Duration) {
		m.inFlight.Dec()
		m.requests.WithLabelValues(r.Method, r.Template, r.Operation, strconv.Itoa(status)).Inc()
		if status >= 500 {
			m.errors.WithLabelValues(r.Method, r.Template, r.Operation).Inc()
		}
		m.duration.WithLabelValues(r.Method, r.Template, r.Operation).Observe(elapsed.Seconds())
	}
}
