package auditwriter

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/telemetryflow/core/internal/app/audit"
)

// Register exports the pipeline's metrics under the names of docs/observability.md. Counters
// and gauges are read from Stats at scrape time (one snapshot per scrape); the batch duration
// histogram is observed by the inserter.
func (w *Writer) Register(reg prometheus.Registerer) error {
	if err := reg.Register(w.hist); err != nil {
		return err
	}
	return reg.Register(&collector{w: w})
}

func newBatchHistogram() prometheus.Histogram {
	return prometheus.NewHistogram(prometheus.HistogramOpts{
		Namespace: "telemetryflow", Subsystem: "audit", Name: "batch_duration_seconds",
		Help:    "Duration of one audit batch insert attempt.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	})
}

func (w *Writer) observe(d time.Duration) { w.hist.Observe(d.Seconds()) }

type collector struct{ w *Writer }

func desc(name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc(prometheus.BuildFQName("telemetryflow", "audit", name), help, labels, nil)
}

var (
	descEvents   = desc("events_total", "Audit events accepted for recording.", "event_type", "result")
	descDepth    = desc("queue_depth", "Audit events acknowledged and not yet stored by the sink.")
	descCapacity = desc("queue_capacity", "Backlog up to which the sink counts as keeping up (TF_AUDIT_QUEUE_SIZE).")
	descBatches  = desc("batches_total", "Audit batch insert attempts.", "result")
	descWritten  = desc("events_written_total", "Audit events stored by the sink.")
	descSpooled  = desc("events_spooled_total", "Audit events accepted while the sink was failing or behind by more than the queue capacity; they wait in the disk spool.")
	descReplayed = desc("events_replayed_total", "Spooled audit events (and events left by an earlier run) stored after recovery.")
	descDropped  = desc("events_dropped_total", "Audit events not recorded; anything but 0 is an incident.", "reason")
	descSpool    = desc("spool_bytes", "Bytes of audit events waiting in the disk spool for the store (0 while it keeps up).")
)

func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descEvents, descDepth, descCapacity, descBatches, descWritten,
		descSpooled, descReplayed, descDropped, descSpool} {
		ch <- d
	}
}

// Collect reports every label combination, zeros included, so dashboards read 0 rather than
// "no data" before the first event.
func (c *collector) Collect(ch chan<- prometheus.Metric) {
	st := c.w.Stats()
	for _, t := range []audit.EventType{audit.EventAuth, audit.EventAuthz, audit.EventData, audit.EventSystem} {
		for _, r := range []audit.Result{audit.ResultSuccess, audit.ResultFailure, audit.ResultDenied} {
			ch <- prometheus.MustNewConstMetric(descEvents, prometheus.CounterValue, float64(st.Accepted[t][r]), t.String(), r.String())
		}
	}
	ch <- prometheus.MustNewConstMetric(descDepth, prometheus.GaugeValue, float64(st.QueueDepth))
	ch <- prometheus.MustNewConstMetric(descCapacity, prometheus.GaugeValue, float64(st.QueueCapacity))
	ch <- prometheus.MustNewConstMetric(descBatches, prometheus.CounterValue, float64(st.BatchesOK), "success")
	ch <- prometheus.MustNewConstMetric(descBatches, prometheus.CounterValue, float64(st.BatchesFailed), "failure")
	ch <- prometheus.MustNewConstMetric(descWritten, prometheus.CounterValue, float64(st.Written))
	ch <- prometheus.MustNewConstMetric(descSpooled, prometheus.CounterValue, float64(st.Spooled))
	ch <- prometheus.MustNewConstMetric(descReplayed, prometheus.CounterValue, float64(st.Replayed))
	for i, reason := range DropReasons {
		ch <- prometheus.MustNewConstMetric(descDropped, prometheus.CounterValue, float64(st.Dropped[i]), reason)
	}
	ch <- prometheus.MustNewConstMetric(descSpool, prometheus.GaugeValue, float64(st.SpoolBytes))
}
