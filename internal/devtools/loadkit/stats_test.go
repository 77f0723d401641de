package loadkit

import (
	"testing"
	"time"
)

// Every value falls in a bucket whose lower bound is within 1 % below it, and quantiles of a
// uniform 1..100,000 µs sample land within 1 % of the exact ones.
func TestHistogramPrecision(t *testing.T) {
	for us := uint64(0); us < 5_000_000; us += 1 + us/97 {
		lo := lower(bucket(us))
		if lo > us || float64(us-lo) > 0.01*float64(us) {
			t.Fatalf("%d µs: bucket %d starts at %d", us, bucket(us), lo)
		}
	}
	var h Histogram
	for us := 1; us <= 100_000; us++ {
		h.Record(time.Duration(us) * time.Microsecond)
	}
	for _, q := range []float64{0.5, 0.95, 0.99} {
		got, want := h.Quantile(q), time.Duration(q*100_000)*time.Microsecond
		if d := want - got; d < 0 || float64(d) > 0.01*float64(want) {
			t.Errorf("p%v = %s, want %s", q*100, got, want)
		}
	}
	if h.Count() != 100_000 || h.Max() != 100*time.Millisecond {
		t.Fatalf("count %d max %s", h.Count(), h.Max())
	}
}
