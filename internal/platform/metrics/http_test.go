package metrics_test

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/telemetryflow/core/internal/platform/metrics"
)

func TestHTTPCountsServerErrorsOnly(t *testing.T) {
	reg := prometheus.NewRegistry()
	getUser := metrics.Route{Method: "GET", Template: "/api/v2/users/{id}", Operation: "getUser"}
	m, err := metrics.NewHTTP(reg, []metrics.Route{getUser})
	if err != nil {
		t.Fatal(err)
	}
	// Pre-created at zero, so an error ratio has a series before the first failure.
	if n, err := testutil.GatherAndCount(reg, "telemetryflow_http_request_errors_total"); err != nil || n != 1 {
		t.Fatalf("error series before traffic: %d, %v", n, err)
	}
	for _, status := range []int{200, 404, 401, 503, 500} {
		m.Start()(getUser, status, 20*time.Millisecond)
	}
	errs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]float64{}
	for _, f := range errs {
		for _, mt := range f.GetMetric() {
			switch {
			case mt.GetCounter() != nil:
				values[f.GetName()] += mt.GetCounter().GetValue()
			case mt.GetHistogram() != nil:
				values[f.GetName()] += float64(mt.GetHistogram().GetSampleCount())
			case mt.GetGauge() != nil:
				values[f.GetName()] += mt.GetGauge().GetValue()
			}
		}
	}
	want := map[string]float64{
		"telemetryflow_http_requests_total":           5,
		"telemetryflow_http_request_errors_total":     2,
		"telemetryflow_http_request_duration_seconds": 5,
		"telemetryflow_http_requests_in_flight":       0,
	}
	for name, v := range want {
		if values[name] != v {
			t.Errorf("%s = %v, want %v", name, values[name], v)
		}
	}
}

func TestDuplicateRegistrationIsAnError(t *testing.T) {
	reg := prometheus.NewRegistry()
	if _, err := metrics.NewHTTP(reg, nil); err != nil {
		t.Fatal(err)
	}
	// Two components claiming the same name must fail at start-up, not overwrite each other.
	if _, err := metrics.NewHTTP(reg, nil); err == nil {
		t.Fatal("second registration of the same metrics succeeded")
	}
}
